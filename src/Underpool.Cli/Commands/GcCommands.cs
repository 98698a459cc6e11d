using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`gc`: the agent's liveness sweep of its node, on request.</summary>
internal static class GcCommands
{
    public static Command Build(GlobalOptions global, HelpSections help)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print what would be released and why; change nothing" };
        var run = new Command(
            "run",
            "Sweep this node now: release every allocation whose pod network namespace (the CNI_NETNS path the runtime gave) "
            + "no longer exists, as underpoold does every --gc-interval. Static endpoints keep their addresses and are marked "
            + "not running; allocations younger than --gc-grace, without a netns path, or of other nodes are never touched")
        {
            dryRun,
        };
        help.AddExamples(run, [
            new("What would be released on this node, and why", "underpoolctl gc run --dry-run"),
            new("Release the leaked addresses now, as JSON for a script", "underpoolctl gc run -o json"),
        ]);
        run.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            var request = new GcRunRequest { DryRun = parse.GetValue(dryRun) };
            return context.CallAgent(
                client => client.RunGc(request),
                report => context.Print(report, ApiJsonContext.Default.GcRunResponse, GcText.WriteReport));
        });

        return new Command(
            "gc",
            "Reclaim leaked addresses: those of pods that went away without a CNI DEL (crashed runtime, lost DEL)")
        {
            run,
        };
    }
}
