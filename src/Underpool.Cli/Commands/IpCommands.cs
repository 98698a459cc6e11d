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
        var leaked = new Option<bool>("--leaked")
        {
            Description = "Only this node's leaked addresses: those whose pod network namespace is gone, which the next sweep "
                          + "releases (a dry run of 'underpoolctl gc run'); other filters do not apply",
        };
        var list = new Command("list", "List allocated addresses: pool, node, network, container, interface and pod")
        {
            pool, node, network, leaked,
        };
        list.Aliases.Add("ls");
        help.AddExamples(list, [
            new("Addresses pods on node worker-3 hold from pool rack1-v4", "underpoolctl ip list --pool rack1-v4 --node worker-3"),
            new("Addresses of pods gone without a DEL, which the next sweep releases", "underpoolctl ip list --leaked"),
        ]);
        list.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            if (parse.GetValue(leaked))
            {
                if (parse.GetValue(pool) is not null || parse.GetValue(node) is not null || parse.GetValue(network) is not null)
                {
                    return context.UsageError("--leaked lists this node's leaked addresses and takes no --pool, --node or --network", "ip list");
                }

                return context.CallAgent(
                    client => client.RunGc(new GcRunRequest { DryRun = true }),
                    report => context.Print(report, ApiJsonContext.Default.GcRunResponse, GcText.WriteLeaked));
            }

            return context.CallAgent(
                client => client.ListAllocations(parse.GetValue(pool), parse.GetValue(node), parse.GetValue(network)),
                allocations => context.Print(allocations, ApiJsonContext.Default.IReadOnlyListAllocationView, AllocationText.WriteTable));
        });

        return new Command("ip", "Inspect allocated addresses") { list };
    }
}
