using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`conflict`: addresses quarantined because another host answered for them.</summary>
internal static class ConflictCommands
{
    public static Command Build(GlobalOptions global, HelpSections help)
    {
        Command list = List(global);
        Command clear = Clear(global);
        help.AddExamples(list, [new("Which addresses are quarantined, and the MAC of the host holding each", "underpoolctl conflict list")]);
        help.AddExamples(clear, [new("The legacy host at 10.20.0.12 is gone: probe again and free its address", "underpoolctl conflict clear 10.20.0.12")]);
        return new Command(
            "conflict",
            "Inspect and free quarantined addresses: before handing out an address the agent probes it (ARP / NDP); one another "
            + "host answers for is quarantined and the pod gets the next address (up to 8 such answers per ADD, then the ADD "
            + "fails with CNI 104 naming the pool). Agents re-probe their quarantine periodically "
            + "(underpoold --quarantine-recheck) and free addresses that have gone quiet")
        {
            list,
            clear,
        };
    }

    private static Command List(GlobalOptions global)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON, the same as -o json" };
        var command = new Command("list", "List quarantined addresses with the MAC that answered, the node and interface it was seen on, and when")
        {
            json,
        };
        command.Aliases.Add("ls");
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ListConflicts(),
                conflicts =>
                {
                    if (parse.GetValue(json))
                    {
                        JsonOutput.Write(context.Out, conflicts, ApiJsonContext.Default.ConflictList);
                        return ExitCodes.Success;
                    }

                    return context.Print(conflicts, ApiJsonContext.Default.ConflictList, ConflictText.WriteList);
                });
        });
        return command;
    }

    private static Command Clear(GlobalOptions global)
    {
        var address = new Argument<string>("IP") { Description = "The quarantined address" };
        var command = new Command(
            "clear",
            "Probe a quarantined address again on the interface it was found on and free it when nobody answers; exits 1 "
            + "and keeps it quarantined while a host still answers")
        {
            address,
        };
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            var request = new ConflictClear { Address = parse.GetRequiredValue(address) };
            return context.CallAgent(
                client => client.ClearConflict(request),
                freed => context.Print(freed, ApiJsonContext.Default.ConflictView, ConflictText.WriteCleared));
        });
        return command;
    }
}
