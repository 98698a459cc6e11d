using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>Several pools in one subnet (one VLAN's /24 split between racks or tenants): allowed while they share no
/// address, also when agents sharing one store create or change them at the same moment.</summary>
public sealed class SharedSubnetTests : IDisposable
{
    private const int Rounds = 20;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_pools_with_disjoint_ranges_in_one_subnet_are_both_created_and_both_hand_out()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);
        await agent.CreatePoolAsync(PoolDefinitions.V4("rack1", ranges: ["172.20.1.10-172.20.1.99"]));
        await agent.CreatePoolAsync(PoolDefinitions.V4("rack2", ranges: ["172.20.1.100-172.20.1.199"]));

        ApiResult<CniAddResponse> a = await agent.AddAsync("c1", v4: ["rack1"]);
        ApiResult<CniAddResponse> b = await agent.AddAsync("c2", v4: ["rack2"]);

        Assert.Equal("172.20.1.10/24", a.Value!.Ips[0].Address);
        Assert.Equal("172.20.1.100/24", b.Value!.Ips[0].Address);
    }

    [Fact]
    public async Task A_second_pool_sharing_an_address_with_the_first_is_refused_naming_it()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);
        await agent.CreatePoolAsync(PoolDefinitions.V4("rack1", ranges: ["172.20.1.10-172.20.1.99"]));

        ApiResult<PoolView> refused = agent.Client.CreatePool(PoolDefinitions.V4("rack2", ranges: ["172.20.1.99-172.20.1.199"]));

        Assert.Equal(("pool-overlap", 409), (refused.Problem!.Type, refused.Problem.Status));
        Assert.Contains("would both hand out 172.20.1.99", refused.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_on_one_store_racing_creates_both_win_when_disjoint_and_exactly_one_wins_when_overlapping()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        for (int round = 0; round < Rounds; round++)
        {
            string subnet = $"172.20.{round + 1}.0/24";
            string prefix = $"172.20.{round + 1}";
            ApiResult<PoolView>[] disjoint = await Task.WhenAll(
                Task.Run(() => node1.Client.CreatePool(PoolDefinitions.V4($"d{round}a", subnet, [$"{prefix}.10-{prefix}.19"], $"{prefix}.1"))),
                Task.Run(() => node2.Client.CreatePool(PoolDefinitions.V4($"d{round}b", subnet, [$"{prefix}.20-{prefix}.29"], $"{prefix}.1"))));
            ApiResult<PoolView>[] overlapping = await Task.WhenAll(
                Task.Run(() => node1.Client.CreatePool(PoolDefinitions.V4($"o{round}a", subnet, [$"{prefix}.30-{prefix}.39"], $"{prefix}.1"))),
                Task.Run(() => node2.Client.CreatePool(PoolDefinitions.V4($"o{round}b", subnet, [$"{prefix}.35-{prefix}.49"], $"{prefix}.1"))));

            Assert.All(disjoint, r => Assert.True(r.IsSuccess, r.Problem?.Detail));
            Assert.Single(overlapping, r => r.IsSuccess);
            Assert.Single(overlapping, r => r.Problem?.Type == "pool-overlap");
        }

        Assert.Equal(3 * Rounds, node1.Client.ListPools().Value!.Count);
    }

    [Fact]
    public async Task Agents_on_one_store_racing_an_update_and_a_create_onto_the_same_addresses_let_exactly_one_win()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        for (int round = 0; round < Rounds; round++)
        {
            string subnet = $"172.20.{round + 1}.0/24";
            string prefix = $"172.20.{round + 1}";
            await node1.CreatePoolAsync(PoolDefinitions.V4($"u{round}", subnet, [$"{prefix}.10-{prefix}.19"], $"{prefix}.1"));

            // The update checks overlaps against the pool set it read; the store refuses it if a create landed since.
            (ApiResult<PoolView> update, ApiResult<PoolView> create) = await Both(
                Task.Run(() => node1.Client.UpdatePool($"u{round}", new PoolUpdate { AddRanges = [$"{prefix}.20-{prefix}.29"] })),
                Task.Run(() => node2.Client.CreatePool(PoolDefinitions.V4($"c{round}", subnet, [$"{prefix}.25-{prefix}.39"], $"{prefix}.1"))));

            Assert.True(update.IsSuccess ^ create.IsSuccess, $"update: {update.Problem?.Detail}; create: {create.Problem?.Detail}");
            Assert.Equal("pool-overlap", (update.IsSuccess ? create : update).Problem!.Type);
        }
    }

    private static async Task<(T, T)> Both<T>(Task<T> first, Task<T> second)
    {
        T[] results = await Task.WhenAll(first, second);
        return (results[0], results[1]);
    }
}
