using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;
using Xunit.Abstractions;

namespace Underpool.Agent.Tests;

/// <summary>Three agents (three nodes) sharing one pool on a real 3-member etcd cluster, through everything etcd can do
/// to them: contention, a SIGKILLed leader, an agent restart.</summary>
public sealed class EtcdClusterAgentTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Nodes = 3;
    private const int AddsPerNode = 40;
    private static readonly TimeSpan NodeTtl = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(2);
    private readonly string _prefix = $"/upl-agents-{Guid.NewGuid():N}";
    private readonly List<InProcessAgent> _agents = [];
    private EtcdCluster _cluster = null!; // Set in InitializeAsync, before any test runs.

    public async Task InitializeAsync()
    {
        _cluster = await EtcdCluster.StartAsync(3);
        for (int n = 1; n <= Nodes; n++)
        {
            _agents.Add(await InProcessAgent.StartOnEtcdAsync(_cluster.ClientUrls, _prefix, $"node{n}", nodeTtl: NodeTtl, nodeDeadAfter: DeadAfter));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (InProcessAgent agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_adds_on_three_nodes_hold_every_address_once_through_a_leader_kill_and_a_restarted_agent_sees_them_all()
    {
        await _agents[0].CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.249"]));
        int completed = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Every node fires its ADDs at once; once a quarter have answered, the leader is SIGKILLed mid-run.
        Task<(string Container, ApiResult<CniAddResponse> Result)>[] adds = Enumerable.Range(0, Nodes * AddsPerNode).Select(i => Task.Run(async () =>
        {
            string container = $"c{i}";
            ApiResult<CniAddResponse> result = await _agents[i % Nodes].AddAsync(container, v4: ["v4"]);
            if (Interlocked.Increment(ref completed) == Nodes * AddsPerNode / 4)
            {
                await _cluster.KillAsync(await _cluster.LeaderAsync());
                killed.SetResult();
            }

            return (container, result);
        })).ToArray();
        (string Container, ApiResult<CniAddResponse> Result)[] outcomes = await Task.WhenAll(adds);
        await killed.Task;

        // The agents retry through the election, so failures are rare; one that happens is clean: "try again"
        // (CNI 11), after which the runtime deletes the attachment and it holds nothing.
        var failed = outcomes.Where(o => !o.Result.IsSuccess).ToList();
        Assert.All(failed, f => Assert.Equal(11, f.Result.Problem?.CniCode));
        foreach ((string container, _) in failed)
        {
            Assert.True((await _agents[0].DelAsync(container)).IsSuccess);
        }

        Assert.DoesNotContain((await _agents[0].AllocationsAsync()), a => failed.Any(f => f.Container == a.ContainerId));

        // Writes resume on the two members left, on every node.
        for (int n = 0; n < Nodes; n++)
        {
            ApiResult<CniAddResponse> after = await _agents[n].AddAsync($"after-{n}", v4: ["v4"]);
            Assert.True(after.IsSuccess, after.Problem?.Detail);
        }

        output.WriteLine($"{outcomes.Length - failed.Count} ADDs succeeded, {failed.Count} failed with CNI 11 through the leader kill");
        var succeeded = outcomes.Where(o => o.Result.IsSuccess).Select(o => (o.Container, Address: o.Result.Value!.Ips[0].Address.Split('/')[0])).ToList();
        IReadOnlyList<AllocationView> held = await _agents[1].AllocationsAsync();
        Assert.Equal(held.Count, held.Select(a => a.Address).Distinct().Count());
        Assert.Equal(succeeded.Count + Nodes, held.Count);
        Assert.All(succeeded, s => Assert.Equal(s.Address, Assert.Single(held, a => a.ContainerId == s.Container).Address));
        Assert.True(failed.Count <= Nodes * AddsPerNode / 10, $"{failed.Count} of {Nodes * AddsPerNode} ADDs failed through the election\n{_cluster.Logs()}");

        // A restarted agent primes its view from etcd: it counts every allocation and never hands a held one out.
        await _agents[2].DisposeAsync();
        _agents[2] = await InProcessAgent.StartOnEtcdAsync(_cluster.ClientUrls, _prefix, "node3", nodeTtl: NodeTtl);
        PoolView pool = (await Task.Run(() => _agents[2].Client.GetPool("v4"))).Value!;
        Assert.Equal(held.Count, pool.Usage.Allocated);
        ApiResult<CniAddResponse> fresh = await _agents[2].AddAsync("fresh", v4: ["v4"]);
        Assert.True(fresh.IsSuccess, fresh.Problem?.Detail);
        Assert.DoesNotContain(fresh.Value!.Ips[0].Address.Split('/')[0], held.Select(a => a.Address));
    }

    [Fact]
    public async Task Node_list_shows_the_three_agents_alive_and_a_stopped_one_dead_once_its_lease_expires()
    {
        await _agents[0].CreatePoolAsync(PoolDefinitions.V4());
        Assert.True((await _agents[1].AddAsync("c1", v4: ["v4"])).IsSuccess);
        await _agents[2].DisposeAsync();
        _agents.RemoveAt(2);

        // node3's lease (a 3 s ttl here) must run out; etcd reports it gone shortly after.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        NodeList nodes;
        do
        {
            await Task.Delay(250);
            nodes = (await Task.Run(() => _agents[0].Client.ListNodes())).Value!;
        }
        while (nodes.Nodes.Single(n => n.Name == "node3").Alive && DateTime.UtcNow < deadline);

        Assert.Equal([("node1", true, 0L), ("node2", true, 1L), ("node3", false, 0L)], nodes.Nodes.Select(n => (n.Name, n.Alive, n.Allocations)));
    }

    [Fact]
    public async Task With_every_etcd_member_down_an_add_fails_with_cni_11_naming_the_store_within_the_retry_budget()
    {
        await _agents[0].CreatePoolAsync(PoolDefinitions.V4());
        InProcessAgent impatient = await InProcessAgent.StartOnEtcdAsync(
            _cluster.ClientUrls, _prefix, "node4", callTimeout: TimeSpan.FromMilliseconds(500), nodeTtl: NodeTtl, storeRetry: TimeSpan.FromSeconds(2));
        _agents.Add(impatient);
        for (int member = 0; member < _cluster.Size; member++)
        {
            await _cluster.KillAsync(member);
        }

        // Never a hang: the answer comes within the retry budget plus a few call deadlines, not the plugin's 30 s.
        ApiResult<CniAddResponse> add = await impatient.AddAsync("c1", v4: ["v4"]).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(("store-unavailable", 11, 503), (add.Problem?.Type, add.Problem?.CniCode, add.Problem?.Status));
        Assert.Contains("etcd", add.Problem!.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_node_dead_longer_than_dead_after_has_its_non_static_addresses_reclaimed_by_the_elected_agent()
    {
        await _agents[0].CreatePoolAsync(PoolDefinitions.V4());
        Assert.True((await _agents[2].AddAsync("pod-on-node3", v4: ["v4"])).IsSuccess);
        ApiResult<CniAddResponse> kept = await Task.Run(() => _agents[2].Client.Add(new CniAddRequest
        {
            Attachment = new AttachmentIdentity { Network = "net1", ContainerId = "db", IfName = "eth0", PodNamespace = "shop", PodName = "db-0" },
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            Static = true,
        }));
        Assert.True(kept.IsSuccess, kept.Problem?.Detail);
        await _agents[2].DisposeAsync();
        _agents.RemoveAt(2);
        var stopped = System.Diagnostics.Stopwatch.StartNew();

        // The lease (3 s, etcd may round it up) must expire, then 2 s of death, then the leader's next round.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<AllocationView> held;
        do
        {
            await Task.Delay(200);
            held = await _agents[0].AllocationsAsync();
        }
        while (held.Any(a => a.ContainerId == "pod-on-node3") && DateTime.UtcNow < deadline);

        output.WriteLine($"node3 stopped -> its pod's address reclaimed in {stopped.Elapsed.TotalSeconds:F1} s (ttl 3 s, dead-after 2 s)");
        Assert.DoesNotContain(held, a => a.ContainerId == "pod-on-node3");
        AllocationView stillKept = Assert.Single(held);
        Assert.Equal((true, "node3"), (stillKept.Static, stillKept.Node));
    }
}
