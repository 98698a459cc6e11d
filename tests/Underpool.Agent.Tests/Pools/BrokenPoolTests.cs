using Microsoft.Extensions.Logging;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;
using Underpool.Store.Embedded;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>A pool stored before a pool rule existed (here an IPv4-mapped IPv6 subnet, which puts the same IPv4 address
/// on the wire as an IPv4 pool): listed with its problem, logged at start, never used for new allocations, while its
/// holder keeps its address and can release it.</summary>
public sealed class BrokenPoolTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_stored_pool_that_breaks_a_rule_is_reported_logged_and_never_handed_out_while_its_holder_releases()
    {
        await SeedAsync();
        var logs = new CapturedLogs();
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path, logs: logs);

        PoolView listed = Assert.Single(agent.Client.ListPools().Value!, p => p.Pool.Name == "mapped");
        ApiResult<CniAddResponse> add = await agent.AddAsync("c2", v6: ["mapped"]);
        ApiResult<CniDelResponse> released = await agent.DelAsync("c1");

        string problem = Assert.Single(listed.Problems);
        Assert.Contains("::ffff:10.124.0.0/120 is inside ::ffff:0:0/96, IPv4-mapped IPv6", problem, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("pool mapped breaks a pool rule", StringComparison.Ordinal)
                                           && e.Message.Contains("IPv4-mapped", StringComparison.Ordinal));
        Assert.Equal((101, "no-eligible-pool"), (add.Problem!.CniCode, add.Problem.Type));
        Assert.Contains("pool 'mapped' breaks a pool rule and hands out nothing new", add.Problem.Detail, StringComparison.Ordinal);
        Assert.Equal("::ffff:10.124.0.10/120", Assert.Single(released.Value!.Released).Address);
        Assert.Empty(Assert.Single(agent.Client.ListPools().Value!, p => p.Pool.Name == "v4").Problems);
    }

    [Fact]
    public async Task A_stored_pool_that_breaks_a_rule_cannot_be_carved_from_but_can_still_be_disabled()
    {
        await SeedAsync();
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);

        ApiResult<PoolView> carved = await Task.Run(() => agent.Client.CreateAppPool(new AppPoolCreate { Name = "web", Parent = "mapped", App = "shop/web", Size = 1 }));
        ApiResult<PoolView> disabled = await Task.Run(() => agent.Client.UpdatePool("mapped", new PoolUpdate { Disabled = true }));

        Assert.Equal("pool-breaks-rule", carved.Problem!.Type);
        Assert.True(disabled.IsSuccess, disabled.Problem?.Detail);
        Assert.True(disabled.Value.Pool.Disabled);
    }

    /// <summary>Writes, straight into the store (as an older agent did), a sound IPv4 pool and an IPv4-mapped one holding
    /// one allocation.</summary>
    private async Task SeedAsync()
    {
        await using var store = new SqliteIpamStore(_dir.Path);
        await store.InitializeAsync(CancellationToken.None);
        Assert.Equal(PoolCreateStatus.Created, await store.CreatePoolAsync(
            new PoolSpec { Name = "v4", Subnet = IpCidr.Parse("10.124.0.0/24") }, (await store.ListPoolsAsync(CancellationToken.None)).Revision, CancellationToken.None));
        Assert.Equal(PoolCreateStatus.Created, await store.CreatePoolAsync(
            new PoolSpec { Name = "mapped", Subnet = IpCidr.Parse("::ffff:10.124.0.0/120") }, (await store.ListPoolsAsync(CancellationToken.None)).Revision, CancellationToken.None));
        PoolSpec mapped = (await store.GetPoolAsync("mapped", CancellationToken.None))!;
        CommitOutcome committed = await store.TryCommitAsync(
        [
            new AllocationRecord
            {
                Pool = "mapped",
                PoolGeneration = mapped.Generation,
                Address = IpAddress.Parse("::ffff:10.124.0.10"),
                Attachment = new AttachmentKey("net1", "c1", "eth0"),
                Node = "node1",
                NetNs = "/var/run/netns/c1",
                CreatedAt = DateTimeOffset.UtcNow,
            },
        ], CancellationToken.None);
        Assert.Equal(CommitStatus.Committed, committed.Status);
    }
}
