using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`ip`: the addresses handed out, who holds them and where.</summary>
internal static class IpCommands
{
    public static Command Build(GlobalOptions global, HelpSections help)
    {
        var pool = new Option<string>("--pool") { Description = "Only addresses from this pool", HelpName = "POOL" };
        var node = new Option<string>("--node") { Description = "Only addresses held on this node", HelpName = "NODE" };
        var network = new Option<string>("--network") { Description = "Only addresses of this CNI network (netconf name)", HelpName = "NET" };
        var list = new Command("list", "List allocated addresses: pool, node, network, container, interface and pod")
        {
            pool, node, network,
        };
        list.Aliases.Add("ls");
        help.AddExamples(list, [new("Addresses pods on node worker-3 hold from pool rack1-v4", "underpoolctl ip list --pool rack1-v4 --node worker-3")]);
        list.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ListAllocations(parse.GetValue(pool), parse.GetValue(node), parse.GetValue(network)),
                allocations => context.Print(allocations, ApiJsonContext.Default.IReadOnlyListAllocationView, AllocationText.WriteTable));
        });

        return new Command("ip", "Inspect allocated addresses") { list };
    }
}
