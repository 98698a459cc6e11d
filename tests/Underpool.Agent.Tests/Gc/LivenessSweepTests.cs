using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>The liveness sweep: an allocation whose network namespace path is gone is leaked and released; a live
/// one, a young one, another node's, one without a path and a static endpoint's address are never taken.</summary>
/// <remarks>Plain files under a temporary directory stand in for namespace paths: the sweep only asks whether the
/// path exists.</remarks>
public sealed class LivenessSweepTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TempDir _netns = new();

    public void Dispose()
    {
        _dir.Dispose();
        _netns.Dispose();
    }

    private Task<InProcessAgent> StartAsync(string node = "node1", double graceSeconds = 0, double intervalSeconds = 0) =>
        InProcessAgent.StartAsync(_dir.Path, node, configure: o => o with
        {
            GcGrace = TimeSpan.FromSeconds(graceSeconds),
            GcInterval = TimeSpan.FromSeconds(intervalSeconds),
        });

    /// <summary>A "namespace" that exists until <see cref="Kill"/>.</summary>
    private string Namespace(string name)
    {
        string path = Path.Combine(_netns.Path, name);
        File.WriteAllText(path, "");
        return path;
    }

    private static void Kill(string netns) => File.Delete(netns);

    private static async Task<string> AddAsync(
        InProcessAgent agent, string container, string? netns, bool isStatic = false, string? pod = null)
    {
        ApiResult<CniAddResponse> added = await Task.Run(() => agent.Client.Add(new CniAddRequest
        {
            Attachment = new AttachmentIdentity
            {
                Network = "net1",
                ContainerId = container,
                IfName = "eth0",
                NetNs = netns,
                PodNamespace = pod is null ? null : "shop",
                PodName = pod,
            },
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            Static = isStatic,
        }));
        Assert.True(added.IsSuccess, added.Problem?.Detail);
        return added.Value.Ips[0].Address.Split('/')[0];
    }

    private static Task<GcRunResponse> RunAsync(InProcessAgent agent, bool dryRun = false) => Task.Run(() =>
    {
        ApiResult<GcRunResponse> run = agent.Client.RunGc(new GcRunRequest { DryRun = dryRun });
        Assert.True(run.IsSuccess, run.Problem?.Detail);
        return run.Value;
    });

    [Fact]
    public async Task A_sweep_releases_the_allocation_whose_namespace_is_gone_and_keeps_the_live_one()
    {
        await using InProcessAgent agent = await StartAsync();
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        string deadNs = Namespace("dead");
        string dead = await AddAsync(agent, "dead", deadNs);
        string live = await AddAsync(agent, "live", Namespace("live"));
        Kill(deadNs);

        GcRunResponse run = await RunAsync(agent);

        GcFinding released = Assert.Single(run.Released);
        Assert.Equal((dead, "netns-gone"), (released.Allocation.Address, released.Reason));
        Assert.Contains(deadNs, released.Detail, StringComparison.Ordinal);
        Assert.Equal([live], (await agent.AllocationsAsync()).Select(a => a.Address));
        Assert.Contains("underpool_releases_total{pool=\"v4\",reason=\"sweep\"} 1", agent.Client.GetMetricsText().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_reports_what_it_would_release_and_changes_nothing()
    {
        await using InProcessAgent agent = await StartAsync();
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        string deadNs = Namespace("dead");
        string dead = await AddAsync(agent, "dead", deadNs);
        Kill(deadNs);

        GcRunResponse run = await RunAsync(agent, dryRun: true);

        Assert.Equal(dead, Assert.Single(run.WouldRelease).Allocation.Address);
        Assert.Empty(run.Released);
        Assert.Equal([dead], (await agent.AllocationsAsync()).Select(a => a.Address));
    }

    [Fact]
    public async Task An_allocation_younger_than_the_grace_period_is_left_alone()
    {
        await using InProcessAgent agent = await StartAsync(graceSeconds: 3600);
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        string deadNs = Namespace("young");
        await AddAsync(agent, "young", deadNs);
        Kill(deadNs);

        GcRunResponse run = await RunAsync(agent);

        Assert.Equal((0, 1), (run.Released.Count, run.InGrace));
        Assert.Single(await agent.AllocationsAsync());
    }

    [Fact]
    public async Task Allocations_of_other_nodes_and_without_a_namespace_path_are_never_swept()
    {
        await using InProcessAgent node1 = await StartAsync("node1");
        await using InProcessAgent node2 = await StartAsync("node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4());
        string elsewhere = Namespace("elsewhere");
        await AddAsync(node2, "elsewhere", elsewhere);
        Kill(elsewhere);
        await AddAsync(node1, "no-path", netns: null);

        GcRunResponse run = await RunAsync(node1);

        Assert.Equal((0, 1), (run.Released.Count, run.UnknownLiveness));
        Assert.Equal(2, (await node1.AllocationsAsync()).Count);
    }

    [Fact]
    public async Task A_static_endpoint_whose_namespace_is_gone_keeps_its_address_and_is_marked_not_running()
    {
        await using InProcessAgent agent = await StartAsync();
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        string netns = Namespace("db");
        string kept = await AddAsync(agent, "c1", netns, isStatic: true, pod: "db-0");
        Kill(netns);

        GcRunResponse run = await RunAsync(agent);

        Assert.Empty(run.Released);
        Assert.Equal(kept, Assert.Single(run.Stopped).Allocation.Address);
        EndpointView endpoint = Assert.Single(agent.Client.ListEndpoints("shop/db-0").Value!.Endpoints);
        Assert.False(endpoint.Running);
        Assert.Equal([kept], (await agent.AllocationsAsync()).Select(a => a.Address));
        Assert.Empty((await RunAsync(agent)).Stopped);
    }

    [Fact]
    public async Task The_agent_sweeps_by_itself_every_gc_interval()
    {
        await using InProcessAgent agent = await StartAsync(intervalSeconds: 0.2);
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        string deadNs = Namespace("dead");
        await AddAsync(agent, "dead", deadNs);
        await AddAsync(agent, "live", Namespace("live"));
        Kill(deadNs);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await agent.AllocationsAsync()).Count > 1)
        {
            await Task.Delay(50, deadline.Token);
        }

        Assert.Equal(["live"], (await agent.AllocationsAsync()).Select(a => a.ContainerId));
    }
}
