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

        var name = new Argument<string>("NAME") { Description = "The node, as 'underpoolctl node list' names it" };
        var forget = new Command(
            "forget",
            "Release at once the addresses the pods of a node that is gone for good hold (a deleted or dead machine). Static "
            + "endpoints keep theirs (they come back on another node); nothing else is removed. Refused while the node's "
            + "agent is alive")
        {
            name,
        };
        forget.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ForgetNode(parse.GetRequiredValue(name)),
                forgotten => context.Print(forgotten, ApiJsonContext.Default.NodeForgetResponse, NodeText.WriteForgotten));
        });
        help.AddExamples(forget, [new("Rack 1 node 7 was decommissioned: give its pods' addresses back", "underpoolctl node forget rack1-n7")]);
        return new Command("node", "Show the nodes whose agents share this store, and forget dead ones") { list, forget };
    }
}
