using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`node`: the nodes whose agents share this store, whether they are alive and what they hold.</summary>
internal static class NodeCommands
{
    public static Command Build(GlobalOptions global, HelpSections help)
    {
        var list = new Command("list", "List registered nodes: labels, liveness (heartbeat or etcd lease) and allocated addresses");
        list.Aliases.Add("ls");
        list.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ListNodes(),
                nodes => context.Print(nodes, ApiJsonContext.Default.NodeList, NodeText.WriteTable));
        });
        help.AddExamples(list, [new("Which nodes are down and still hold addresses", "underpoolctl node list --output json")]);
        return new Command("node", "Show the nodes whose agents share this store") { list };
    }
}
