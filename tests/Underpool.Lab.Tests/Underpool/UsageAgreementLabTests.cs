using System.Globalization;
using System.Text.Json;
using Underpool.Testing;
using Xunit.Abstractions;

namespace Underpool.Lab.Tests;

/// <summary>After concurrent ADDs and DELs on several nodes sharing one store, every agent's `pool list`, `pool show`
/// and underpool_pool_allocated say what the store holds (`ip list`) once their views have caught up with its journal.
/// Before, four agents said 85, 82, 79 and 71 of a store's 85, and kept saying it.</summary>
public sealed class UsageAgreementLabTests(ITestOutputHelper output)
{
    private const string Subnet = "172.20.0.0/16";
    private const int Nodes = 3;
    private const int FirstWave = 90;
    private const int SecondWave = 30;
    private const int PerNode = 8;
    private static readonly string[] Pools = ["edge", "bulk"];

    // The small pool is tried first by every ADD, so the agents contend for its four addresses (collisions, contended
    // and stale probe answers: the picks given back that used to take the store's allocations out of a view).
    private static readonly string[] PoolCreates =
    [
        "pool create edge --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.13",
        "pool create bulk --subnet 172.20.2.0/23 --ranges 172.20.2.10-172.20.3.100",
    ];

    [Theory]
    [InlineData("etcd", "on")]
    [InlineData("embedded", "off")]
    public async Task Every_agent_counts_what_the_store_holds_after_concurrent_adds_and_dels_on_three_nodes(string store, string probe)
    {
        await using LabStore state = await LabStore.StartAsync(store);
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(Nodes, Subnet, [.. state.AgentArgs, "--probe", probe]);
        foreach (string create in PoolCreates)
        {
            ProcessResult created = await lab.CtlAsync(0, create.Split(' '));
            Assert.True(created.Succeeded, created.Describe());
        }

        NetworkNamespace[] pods = await PodBurst.MakePodsAsync(lab.Network, FirstWave + SecondWave);
        IReadOnlyList<CniInvocation> first = await RunAsync(lab, pods[..FirstWave].Select((pod, i) => Add(lab, pod, i)));

        // DELs of every third pod of the first wave while the second wave's ADDs run.
        IEnumerable<CniRequest> dels = first.Where((_, i) => i % 3 == 0).Select(a => a.Request with { Command = CniVerb.Del });
        IEnumerable<CniRequest> adds = pods[FirstWave..].Select((pod, i) => Add(lab, pod, FirstWave + i));
        IReadOnlyList<CniInvocation> mixed = await RunAsync(lab, dels.Zip(adds).SelectMany(pair => new[] { pair.First, pair.Second }));

        // Last, DELs on node 1 alone: the other agents serve nothing after them, and must still count them.
        IReadOnlyList<CniInvocation> last = await RunAsync(
            lab, mixed.Where(c => c.Request.Command == CniVerb.Add && c.Request.Node == lab.Network.Nodes[1].Namespace).Select(a => a.Request with { Command = CniVerb.Del }));

        IReadOnlyList<CniInvocation> all = [.. first, .. mixed, .. last];
        Assert.True(all.All(c => c.Succeeded), string.Join("\n", all.Where(c => !c.Succeeded).Take(3).Select(c => c.Describe())));
        string figures = string.Empty;
        try
        {
            await Condition.WaitUntilAsync(
                async _ =>
                {
                    (bool agree, figures) = await CompareAsync(lab);
                    return agree;
                },
                TimeSpan.FromSeconds(60),
                "every agent's pool figures to equal the store's");
        }
        catch (TimeoutException timeout)
        {
            Assert.Fail($"{timeout.Message} {figures}");
        }

        output.WriteLine($"{store}, probing {probe}: {FirstWave} ADDs, then {FirstWave / 3} DELs with {SecondWave} ADDs, then "
            + $"{last.Count} DELs on one node, on {Nodes} nodes; {figures}");
    }

    private static CniRequest Add(UnderpoolLab lab, NetworkNamespace pod, int i)
    {
        int node = i % Nodes;
        return CniRequest.Add(lab.Network.Nodes[node].Namespace, pod, $"usage-{i}", "eth0", lab.MacvlanConfig(node, Pools))
            with { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Runs the calls at once, at most <see cref="PerNode"/> at a time on each node.</summary>
    private static async Task<IReadOnlyList<CniInvocation>> RunAsync(UnderpoolLab lab, IEnumerable<CniRequest> requests)
    {
        Dictionary<string, SemaphoreSlim> slots = lab.Network.Nodes.ToDictionary(n => n.Name, _ => new SemaphoreSlim(PerNode));
        try
        {
            return await Task.WhenAll(requests.Select(async request =>
            {
                SemaphoreSlim slot = slots[request.Node.Name];
                await slot.WaitAsync();
                try
                {
                    return await lab.Cni.InvokeAsync(request);
                }
                finally
                {
                    slot.Release();
                }
            }));
        }
        finally
        {
            foreach (SemaphoreSlim slot in slots.Values)
            {
                slot.Dispose();
            }
        }
    }

    /// <summary>Whether every agent's figures equal the store's, and all the figures as one line.</summary>
    /// <remarks>Until the metrics agree nothing else is asked: `pool list` and `pool show` catch an agent's view up,
    /// which would hide metrics that never do on an agent that serves nothing.</remarks>
    private static async Task<(bool Agree, string Figures)> CompareAsync(UnderpoolLab lab)
    {
        (bool metricsAgree, string metricFigures) = await CompareMetricsAsync(lab);
        if (!metricsAgree)
        {
            return (false, metricFigures);
        }

        string[] scraped = lab.Agents.Select(a => AgentMetricsText.Read(a.Socket)).ToArray();
        JsonElement held = await lab.CtlJsonAsync(0, "ip", "list");
        Dictionary<string, int> store = Pools.ToDictionary(p => p, p => held.EnumerateArray().Count(a => a.GetProperty("pool").GetString() == p));
        bool agree = true;
        var figures = new List<string> { $"store (ip list) {Describe(store)}" };
        for (int node = 0; node < Nodes; node++)
        {
            string metrics = scraped[node];
            JsonElement listed = await lab.CtlJsonAsync(node, "pool", "list");
            var list = listed.EnumerateArray().ToDictionary(p => p.GetProperty("pool").GetProperty("name").GetString()!, Allocated);
            var show = new Dictionary<string, int>();
            foreach (string pool in Pools)
            {
                show[pool] = Allocated(await lab.CtlJsonAsync(node, "pool", "show", pool));
            }

            var metric = Pools.ToDictionary(p => p, p => (int)AgentMetricsText.Sum(metrics, "underpool_pool_allocated", $"pool=\"{p}\""));
            agree &= Pools.All(p => list[p] == store[p] && show[p] == store[p] && metric[p] == store[p]);
            figures.Add($"node {node}: pool list {Describe(list)}, pool show {Describe(show)}, metric {Describe(metric)} "
                + $"(as of revision {(listed[0].GetProperty("usage").TryGetProperty("asOfRevision", out JsonElement r) ? r.GetInt64() : "?")})");
        }

        return (agree, string.Join("; ", figures));
    }

    private static async Task<(bool Agree, string Figures)> CompareMetricsAsync(UnderpoolLab lab)
    {
        string[] scraped = lab.Agents.Select(a => AgentMetricsText.Read(a.Socket)).ToArray();
        JsonElement held = await lab.CtlJsonAsync(0, "ip", "list"); // Read from the store, no catch-up of any view.
        Dictionary<string, int> store = Pools.ToDictionary(p => p, p => held.EnumerateArray().Count(a => a.GetProperty("pool").GetString() == p));
        var metrics = scraped.Select(m => Pools.ToDictionary(p => p, p => (int)AgentMetricsText.Sum(m, "underpool_pool_allocated", $"pool=\"{p}\""))).ToList();
        return (metrics.All(m => Pools.All(p => m[p] == store[p])),
            $"store (ip list) {Describe(store)}; metrics {string.Join(", ", metrics.Select((m, n) => $"node {n}: {Describe(m)}"))}");
    }

    private static int Allocated(JsonElement view) => view.GetProperty("usage").GetProperty("allocated").GetInt32();

    private static string Describe(Dictionary<string, int> counts) =>
        string.Join(" ", Pools.Select(p => $"{p}={counts[p].ToString(CultureInfo.InvariantCulture)}"));
}
