using Underpool.Api;
using Underpool.Api.Contracts;

using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>Several agents on one host share one data dir (each lab node is a namespace on one machine).</summary>
public sealed class SharedStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_agents_on_one_subnet_never_hand_out_the_same_address_even_when_racing()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.109"]));

        // 2 agents x 40 concurrent ADDs into a pool of 100: both views start from the same cursor, so they collide
        // on purpose and must re-pick through the store's create-if-absent.
        Task<ApiResult<CniAddResponse>>[] adds = Enumerable.Range(0, 80)
            .Select(i => (i % 2 == 0 ? node1 : node2).AddAsync($"c{i}", v4: ["v4"]))
            .ToArray();
        ApiResult<CniAddResponse>[] results = await Task.WhenAll(adds);

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Problem?.Detail));
        string[] addresses = results.Select(r => r.Value!.Ips[0].Address).ToArray();
        Assert.Equal(addresses.Length, addresses.Distinct().Count());
        IReadOnlyList<AllocationView> held = await node1.AllocationsAsync();
        Assert.Equal(80, held.Count);
        Assert.Equal(40, held.Count(a => a.Node == "node2"));
    }

    [Fact]
    public async Task An_agent_sees_pools_and_releases_made_by_another_agent()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10"]));
        await node1.AddAsync("c1", v4: ["v4"]);

        ApiResult<CniAddResponse> whileHeld = await node2.AddAsync("c2", v4: ["v4"]);
        await node1.DelAsync("c1");
        ApiResult<CniAddResponse> afterRelease = await node2.AddAsync("c2", v4: ["v4"]);

        Assert.Equal("pool-exhausted", whileHeld.Problem!.Type);
        Assert.Equal("172.20.1.10/24", afterRelease.Value!.Ips[0].Address);
    }

    [Fact]
    public async Task A_restarted_agent_keeps_every_allocation()
    {
        string address;
        await using (InProcessAgent before = await InProcessAgent.StartAsync(_dir.Path))
        {
            await before.CreatePoolAsync(PoolDefinitions.V4());
            address = (await before.AddAsync("c1", v4: ["v4"])).Value!.Ips[0].Address;
        }

        await using InProcessAgent after = await InProcessAgent.StartAsync(_dir.Path);
        ApiResult<CniAddResponse> again = await after.AddAsync("c1", v4: ["v4"]);
        ApiResult<CniAddResponse> other = await after.AddAsync("c2", v4: ["v4"]);

        Assert.Equal(address, again.Value!.Ips[0].Address);
        Assert.NotEqual(address, other.Value!.Ips[0].Address);
    }

    [Fact]
    public async Task Node_list_shows_every_agent_alive_with_its_labels_and_allocation_count()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4());
        await node2.AddAsync("c1", v4: ["v4"]);
        await node2.AddAsync("c2", v4: ["v4"]);

        NodeList nodes = (await Task.Run(() => node1.Client.ListNodes())).Value!;

        Assert.Equal([("node1", true, 0L), ("node2", true, 2L)], nodes.Nodes.Select(n => (n.Name, n.Alive, n.Allocations)));
        Assert.All(nodes.Nodes, n => Assert.NotNull(n.LastSeen));
    }
}
