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

        command.SetAction((parse, cancellationToken) =>
        {
            var context = CommandContext.From(parse, global);
            var change = new ReservedChange { Addresses = parse.GetRequiredValue(addresses) };
            return context.CallAgentAsync(
                (client, ct) => adding ? client.AddReservedAsync(change, ct) : client.RemoveReservedAsync(change, ct),
                answer =>
                {
                    context.Warn(answer.Warnings);
                    return context.Print(answer, ApiJsonContext.Default.ReservedChangeResponse, (a, output) => ReservedText.WriteChange(a, adding, output));
                },
                cancellationToken);
        });
        return command;
    }

    private static Command List(GlobalOptions global)
    {
        var command = new Command("list", "List the reserved addresses");
        command.Aliases.Add("ls");
        command.SetAction((parse, cancellationToken) =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgentAsync(
                (client, ct) => client.ListReservedAsync(ct),
                reserved => context.Print(reserved, ApiJsonContext.Default.ReservedList, ReservedText.WriteList),
                cancellationToken);
        });
        return command;
    }
}
