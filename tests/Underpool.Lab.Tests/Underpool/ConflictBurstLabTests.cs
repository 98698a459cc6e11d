using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Underpool.Lab.Tests;

/// <summary>Conflict probing under load, as a busy cluster runs it: four lab nodes, one agent each on one store,
/// probing on (the default), a few hundred pods started at once through the real macvlan plugin. Agents probing the
/// same candidate at once, and candidates another agent has just given to a pod, must never be taken for a foreign
/// host: only a host no agent knows is quarantined.</summary>
public sealed class ConflictBurstLabTests(ITestOutputHelper output)
{
    private const string Subnet = "172.20.0.0/16";
    private const int Nodes = 4;
    private const int Pods = 300;
    private const int PerNode = 8;

    // Each ADD tries the small pool first, so its addresses are certainly probed (a foreign host holds two of them in
    // the second test), then the large one, which the burst fills to about 85 %.
    private static readonly string[] PoolCreates =
    [
        "pool create edge --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.13",
        "pool create bulk --subnet 172.20.2.0/23 --ranges 172.20.2.10-172.20.3.100",
    ];

    [Theory]
    [InlineData("embedded")]
    [InlineData("etcd")]
    public async Task Hundreds_of_concurrent_adds_on_four_nodes_with_no_foreign_host_quarantine_nothing_and_all_succeed(string store)
    {
        await using LabStore state = await LabStore.StartAsync(store);
        await using UnderpoolLab lab = await StartAsync(state);

        BurstCounts counts = await RunBurstAsync(lab, store);

        Assert.True(counts.Failed.Count == 0, string.Join("\n", counts.Failed.Take(5).Select(f => f.Describe())));
        Assert.True(counts.Quarantined.Count == 0, counts.Describe());
        Assert.Equal(Pods, counts.Addresses.Distinct().Count());
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("etcd")]
    public async Task A_foreign_host_holding_two_pool_addresses_gets_exactly_those_quarantined_with_its_mac_and_every_add_succeeds(string store)
    {
        await using LabStore state = await LabStore.StartAsync(store);
        await using UnderpoolLab lab = await StartAsync(state);
        LabNode foreign = await lab.Network.AddHostAsync("foreign", IPAddress.Parse("172.20.1.11"));
        await IpRoute2.RunAsync(["-n", foreign.Name, "addr", "add", "172.20.1.12/16", "dev", LabNode.Uplink, "nodad"], default);
        string foreignMac = await MacOfAsync(foreign.Name);

        BurstCounts counts = await RunBurstAsync(lab, store);

        Assert.True(counts.Failed.Count == 0, string.Join("\n", counts.Failed.Take(5).Select(f => f.Describe())));
        Assert.True(
            counts.Quarantined.SequenceEqual([("172.20.1.11", foreignMac), ("172.20.1.12", foreignMac)]),
            $"foreign host {foreignMac} holds 172.20.1.11 and .12; {counts.Describe()}");
        Assert.Equal(Pods, counts.Addresses.Distinct().Count());
        Assert.DoesNotContain(counts.Addresses, a => a.Address.ToString() is "172.20.1.11" or "172.20.1.12");
    }

    private static async Task<UnderpoolLab> StartAsync(LabStore state)
    {
        UnderpoolLab lab = await UnderpoolLab.CreateAsync(Nodes, Subnet, state.AgentArgs);
        try
        {
            foreach (string create in PoolCreates)
            {
                ProcessResult result = await lab.CtlAsync(0, create.Split(' '));
                Assert.True(result.Succeeded, result.Describe());
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task<BurstCounts> RunBurstAsync(UnderpoolLab lab, string store)
    {
        var clock = Stopwatch.StartNew();
        NetworkNamespace[] pods = await PodBurst.MakePodsAsync(lab.Network, Pods);
        TimeSpan making = clock.Elapsed;
        clock.Restart();
        IReadOnlyList<CniInvocation> adds = await PodBurst.AddAsync(lab, pods, PerNode, node => lab.MacvlanConfig(node, ["edge", "bulk"]));
        TimeSpan burst = clock.Elapsed;

        JsonElement conflicts = (await lab.CtlJsonAsync(0, "conflict", "list")).GetProperty("conflicts");
        var quarantined = conflicts.EnumerateArray()
            .Select(c => (c.GetProperty("address").GetString()!, c.GetProperty("mac").GetString()!))
            .OrderBy(c => IPAddress.Parse(c.Item1).GetAddressBytes(), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .ToList();
        var nodeMacs = new HashSet<string>(StringComparer.Ordinal);
        foreach (LabNode node in lab.Network.Nodes)
        {
            nodeMacs.Add(await MacOfAsync(node.Name));
        }

        var podMacs = adds.Where(a => a.Succeeded).Select(a => a.Result!.Value.GetProperty("interfaces")[0].GetProperty("mac").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        string[] metrics = lab.Agents.Select(a => AgentMetricsText.Read(a.Socket)).ToArray();
        double Total(string name, string? label = null) => metrics.Sum(m => AgentMetricsText.Sum(m, name, label));

        var counts = new BurstCounts(
            adds.Where(a => !a.Succeeded).ToList(),
            adds.Where(a => a.Succeeded).SelectMany(a => a.Addresses).ToList(),
            quarantined,
            $"{store}: {Pods} ADDs on {Nodes} nodes ({PerNode} at a time per node) in {burst.TotalSeconds:F1} s "
            + $"(pod namespaces made in {making.TotalSeconds:F1} s before; the agents spent "
            + $"{1000 * Total("underpool_request_duration_seconds_sum", "verb=\"add\"") / Math.Max(1, Total("underpool_request_duration_seconds_count", "verb=\"add\"")):F0} ms per ADD "
            + $"on average, {Total("underpool_probe_duration_seconds_count")} probes): "
            + $"{adds.Count(a => !a.Succeeded)} failed, {quarantined.Count} quarantined "
            + $"({quarantined.Count(q => nodeMacs.Contains(q.Item2))} answered by our nodes' uplinks, "
            + $"{quarantined.Count(q => podMacs.Contains(q.Item2))} by our pods), "
            + $"commit collisions {Total("underpool_commit_collisions_total")}, "
            + $"probe answers settled as contended {Total("underpool_probe_settled_total", "reason=\"contended\"")}, "
            + $"stale {Total("underpool_probe_settled_total", "reason=\"stale\"")}, "
            + $"ours {Total("underpool_probe_settled_total", "reason=\"node\"") + Total("underpool_probe_settled_total", "reason=\"pod\"")}, "
            + $"foreign {Total("underpool_conflicts_total")}");
        output.WriteLine(counts.Summary);
        return counts;
    }

    private static async Task<string> MacOfAsync(string ns)
    {
        ProcessResult link = await ProcessRunner.RunAsync("ip", ["-j", "-n", ns, "link", "show", LabNode.Uplink]);
        Assert.True(link.Succeeded, link.Describe());
        return JsonDocument.Parse(link.StandardOutput).RootElement[0].GetProperty("address").GetString()!; // ip -j always prints it for a veth
    }

    private sealed record BurstCounts(
        IReadOnlyList<CniInvocation> Failed,
        IReadOnlyList<InterfaceAddress> Addresses,
        IReadOnlyList<(string Address, string Mac)> Quarantined,
        string Summary)
    {
        public string Describe() => $"{Summary}; quarantined: {string.Join(", ", Quarantined.Take(20).Select(q => $"{q.Address} by {q.Mac}"))}";
    }
}
