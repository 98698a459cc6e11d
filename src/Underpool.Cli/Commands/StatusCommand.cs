using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`status`: is this node's agent up, ready, and on which store.</summary>
internal static class StatusCommand
{
    public static Command Build(GlobalOptions global)
    {
        var command = new Command(
            "status", "Show the local agent's status: node, store, readiness and version; exits 4 when it is not ready");
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.Status(),
                status =>
                {
                    context.Print(status, ApiJsonContext.Default.AgentStatus, WriteStatus);

                    // Scripts and health checks branch on the exit code: an agent that cannot serve is a failure.
                    return status.Ready ? ExitCodes.Success : ExitCodes.AgentFailure;
                });
        });
        return command;
    }

    private static void WriteStatus(AgentStatus status, TextWriter output)
    {
        var list = new PropertyList()
            .Add("node", status.Node)
            .Add("store", status.Store)
            .Add("ready", status.Ready ? "yes" : "no")
            .Add("version", status.Version);
        if (status.Reason is not null)
        {
            list.Add("reason", status.Reason);
        }

        list.WriteTo(output);
    }
}
