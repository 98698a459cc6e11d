using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`reserved`: addresses no pool may hand out (routers, legacy hosts, VIPs on the underlay).</summary>
internal static class ReservedCommands
{
    public static Command Build(GlobalOptions global, HelpSections help)
    {
        Command add = Change(global, adding: true);
        help.AddExamples(add, [new("Keep two legacy hosts' addresses out of every pool", "underpoolctl reserved add 10.20.0.7 10.20.0.8")]);
        return new Command("reserved", "Manage reserved addresses: no pool hands them out")
        {
            add,
            Change(global, adding: false),
            List(global),
        };
    }

    private static Command Change(GlobalOptions global, bool adding)
    {
        var addresses = new Argument<string[]>("IP")
        {
            Description = adding ? "Addresses to reserve" : "Addresses to stop reserving",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = adding
            ? new Command("add", "Reserve addresses; warns about any that are allocated right now") { addresses }
            : new Command("remove", "Stop reserving addresses, so pools may hand them out again") { addresses };
        if (!adding)
        {
            command.Aliases.Add("rm");
        }

        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            var change = new ReservedChange { Addresses = parse.GetRequiredValue(addresses) };
            return context.CallAgent(
                client => adding ? client.AddReserved(change) : client.RemoveReserved(change),
                answer =>
                {
                    context.Warn(answer.Warnings);
                    return context.Print(answer, ApiJsonContext.Default.ReservedChangeResponse, (a, output) => ReservedText.WriteChange(a, adding, output));
                });
        });
        return command;
    }

    private static Command List(GlobalOptions global)
    {
        var command = new Command("list", "List the reserved addresses");
        command.Aliases.Add("ls");
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ListReserved(),
                reserved => context.Print(reserved, ApiJsonContext.Default.ReservedList, ReservedText.WriteList));
        });
        return command;
    }
}
