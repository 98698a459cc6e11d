using Microsoft.Extensions.DependencyInjection;
using Underpool.Agent.Pools;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Store;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>Usage figures (pool show, pool list, underpool_pool_allocated) are the store's, on every agent, whatever
/// the agent's own picks went through meanwhile.</summary>
public sealed class UsageCountTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_pick_given_back_after_the_journal_showed_another_agent_commit_it_stays_counted()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        PoolRegistry view = node1.Services.GetRequiredService<PoolRegistry>();
        await view.CatchUpAsync(default);

        // node1 picks the first address for an ADD; node2 (same cursor on one host) commits that very address first.
        IpAddress picked = view.TryTake("v4")!.Value;
        string won = (await node2.AddAsync("c1", v4: ["v4"])).Value!.Ips[0].Address;
        await view.CatchUpAsync(default);
        view.Release("v4", picked); // node1's commit collided (or its probe was answered): the pick goes back.

        Assert.Equal($"{picked}/24", won);
        Assert.Equal(1, view.Usage("v4")!.Value.Used);
        Assert.Equal(1, (await PoolShowAsync(node1)).Allocated);
    }

    [Fact]
    public async Task A_pick_quarantined_after_the_journal_showed_another_agent_commit_it_stays_counted()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        PoolRegistry view = node1.Services.GetRequiredService<PoolRegistry>();
        await view.CatchUpAsync(default);

        IpAddress picked = view.TryTake("v4")!.Value;
        await node2.AddAsync("c1", v4: ["v4"]);
        await view.CatchUpAsync(default);
        view.Quarantine("v4", new QuarantineRecord
        {
            Address = picked, Pool = "v4", Mac = "02:00:00:00:00:01", Node = "node1", Interface = "eth0", DetectedAt = DateTimeOffset.UtcNow,
        });

        Assert.Equal(1, view.Usage("v4")!.Value.Used);
    }

    [Fact]
    public async Task Picks_in_flight_are_not_counted_and_every_figure_says_the_store_revision_it_is_as_of()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        await node2.AddAsync("c1", v4: ["v4"]);
        await node2.AddAsync("c2", v4: ["v4"]);
        PoolRegistry view = node1.Services.GetRequiredService<PoolRegistry>();
        await view.CatchUpAsync(default);
        _ = view.TryTake("v4")!.Value; // An ADD of node1 in flight: not the store's yet.

        PoolUsage shown = await PoolShowAsync(node1);
        PoolUsage listed = (await Task.Run(() => node1.Client.ListPools())).Value!.Single().Usage;
        string metrics = (await Task.Run(() => node1.Client.GetMetricsText())).Value!;

        Assert.Equal((2, 2), (shown.Allocated, listed.Allocated));
        Assert.Contains("underpool_pool_allocated{pool=\"v4\"} 2", metrics, StringComparison.Ordinal);
        Assert.True(shown.AsOfRevision > 0 && shown.AsOfRevision == view.Revision, $"as of {shown.AsOfRevision}, view at {view.Revision}");
        Assert.Contains($"underpool_view_revision {view.Revision}", metrics, StringComparison.Ordinal);
        Assert.Contains("underpool_view_current 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idle_agent_scraped_for_metrics_counts_what_another_agent_allocated_since()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        _ = (await Task.Run(() => node1.Client.GetMetricsText())).Value!;
        await node2.AddAsync("c1", v4: ["v4"]);
        await node2.AddAsync("c2", v4: ["v4"]);
        await node2.AddAsync("c3", v4: ["v4"]);

        string metrics = (await Task.Run(() => node1.Client.GetMetricsText())).Value!;

        Assert.Contains("underpool_pool_allocated{pool=\"v4\"} 3", metrics, StringComparison.Ordinal);
    }

    private static async Task<PoolUsage> PoolShowAsync(InProcessAgent agent)
    {
        ApiResult<PoolView> view = await Task.Run(() => agent.Client.GetPool("v4"));
        Assert.True(view.IsSuccess, view.Problem?.Detail);
        return view.Value!.Usage;
    }
}
