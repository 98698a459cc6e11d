using Underpool.Api;
using Underpool.Api.Contracts;

using Underpool.Testing;

namespace Underpool.Agent.Tests;

public sealed class CniAddTests : AgentTest
{

    [Fact]
    public async Task DualStack_add_returns_one_address_per_family_with_prefix_gateway_and_routes()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.CreatePoolAsync(PoolDefinitions.V6());

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v4"], v6: ["v6"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Collection(
            add.Value.Ips,
            v4 =>
            {
                Assert.Equal("172.20.1.2/24", v4.Address);
                Assert.Equal("172.20.1.1", v4.Gateway);
                Assert.Equal("v4", v4.Pool);
            },
            v6 =>
            {
                Assert.Equal("fd00:20:1::2/64", v6.Address);
                Assert.Equal("fd00:20:1::1", v6.Gateway);
            });
        // A route without a gateway of its own goes through the pool's.
        Assert.Equal(
            [("0.0.0.0/0", "172.20.1.1"), ("10.99.0.0/16", "172.20.1.254")],
            add.Value.Routes.Select(r => (r.Dst, r.Gw)));
    }

    [Fact]
    public async Task Repeated_add_for_the_same_attachment_returns_the_same_address_and_holds_one()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<CniAddResponse> first = await Agent.AddAsync("c1", v4: ["v4"]);
        ApiResult<CniAddResponse> again = await Agent.AddAsync("c1", v4: ["v4"]);

        Assert.Equal(first.Value!.Ips[0].Address, again.Value!.Ips[0].Address);
        Assert.Single(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Each_interface_of_a_container_gets_its_own_allocation()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.CreatePoolAsync(PoolDefinitions.V4("second", "172.20.2.0/24", gateway: null));

        ApiResult<CniAddResponse> eth0 = await Agent.AddAsync("c1", "eth0", "front", v4: ["v4"]);
        ApiResult<CniAddResponse> net1 = await Agent.AddAsync("c1", "net1", "back", v4: ["second"]);

        Assert.StartsWith("172.20.1.", eth0.Value!.Ips[0].Address, StringComparison.Ordinal);
        Assert.StartsWith("172.20.2.", net1.Value!.Ips[0].Address, StringComparison.Ordinal);
        Assert.Equal(2, (await Agent.AllocationsAsync()).Count);
    }

    [Fact]
    public async Task Exhausted_pool_gives_code_100_naming_the_pool_and_its_size()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.11"]));
        await Agent.AddAsync("c1", v4: ["v4"]);
        await Agent.AddAsync("c2", v4: ["v4"]);

        ApiResult<CniAddResponse> third = await Agent.AddAsync("c3", v4: ["v4"]);

        Assert.False(third.IsSuccess);
        Assert.Equal("pool-exhausted", third.Problem.Type);
        Assert.Equal(100, third.Problem.CniCode);
        Assert.Contains("pool 'v4'", third.Problem.Detail, StringComparison.Ordinal);
        Assert.Contains("size 2", third.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exhausted_pool_message_counts_allocated_reserved_quarantined_and_excluded_addresses()
    {
        await Agent.CreatePoolAsync(new PoolDefinition
        {
            Name = "v4", Subnet = "172.20.1.0/24", Ranges = ["172.20.1.10-172.20.1.15"], Exclude = ["172.20.1.15"], Gateway = "172.20.1.1",
        });
        await Agent.AddAsync("c1", v4: ["v4"]);
        await Agent.AddAsync("c2", v4: ["v4"]);
        Assert.True(Agent.Client.AddReserved(new ReservedChange { Addresses = ["172.20.1.12"] }).IsSuccess);
        await using (var store = new Underpool.Store.Embedded.SqliteIpamStore(Agent.DataDir))
        {
            await store.InitializeAsync(CancellationToken.None);
            foreach (string address in new[] { "172.20.1.13", "172.20.1.14" })
            {
                await store.QuarantineAsync(
                    new Underpool.Store.QuarantineRecord
                    {
                        Address = Underpool.Core.Net.IpAddress.Parse(address),
                        Pool = "v4",
                        Mac = "02:00:00:00:00:01",
                        Node = "node9",
                        Interface = "eth0",
                        DetectedAt = DateTimeOffset.UtcNow,
                    },
                    CancellationToken.None);
            }
        }

        ApiResult<CniAddResponse> third = await Agent.AddAsync("c3", v4: ["v4"]);

        Assert.Equal(100, third.Problem!.CniCode);
        Assert.Contains(
            "pool 'v4' (172.20.1.0/24, size 5: 2 allocated, 1 reserved, 2 quarantined; 1 more in its ranges excluded or the gateway) is exhausted",
            third.Problem.Detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_released_address_keeps_its_cooldown_when_another_pool_is_created_meanwhile()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.12"]));
        ApiResult<CniAddResponse> first = await Agent.AddAsync("c1", v4: ["v4"]);
        await Agent.DelAsync("c1");

        // Creating a pool rebuilds the agent's view; the rebuilt v4 allocator must not start over at .10.
        await Agent.CreatePoolAsync(PoolDefinitions.V4("other", "172.20.2.0/24", gateway: null));
        ApiResult<CniAddResponse> second = await Agent.AddAsync("c2", v4: ["v4"]);

        Assert.Equal("172.20.1.10/24", first.Value!.Ips[0].Address);
        Assert.Equal("172.20.1.11/24", second.Value!.Ips[0].Address);
    }

    [Fact]
    public async Task An_exhausted_first_pool_falls_back_to_the_next_one()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4("small", ranges: ["172.20.1.10"]));
        await Agent.CreatePoolAsync(PoolDefinitions.V4("spill", "172.20.2.0/24", gateway: null));
        await Agent.AddAsync("c1", v4: ["small", "spill"]);

        ApiResult<CniAddResponse> second = await Agent.AddAsync("c2", v4: ["small", "spill"]);

        Assert.Equal("spill", second.Value!.Ips[0].Pool);
    }

    [Fact]
    public async Task Dual_stack_add_with_an_exhausted_family_leaves_nothing_allocated()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.CreatePoolAsync(new PoolDefinition { Name = "v6", Subnet = "fd00:20:1::/64", Ranges = ["fd00:20:1::10"] });
        await Agent.AddAsync("c1", v6: ["v6"]);

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c2", v4: ["v4"], v6: ["v6"]);

        Assert.Equal("pool-exhausted", add.Problem!.Type);
        Assert.Empty(await Agent.AllocationsAsync("v4"));
    }

    [Fact]
    public async Task Unknown_pool_is_invalid_config_and_allocates_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v4", "nope"]);

        Assert.Equal(7, add.Problem!.CniCode);
        Assert.Equal(400, add.Problem.Status);
        Assert.Contains("nope", add.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task A_pool_listed_under_the_wrong_family_is_invalid_config()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V6());

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v6"]);

        Assert.Equal("wrong-family", add.Problem!.Type);
        Assert.Equal(7, add.Problem.CniCode);
    }

    [Fact]
    public async Task No_pools_named_uses_the_default_pool()
    {
        PoolDefinition pool = PoolDefinitions.V4();
        await Agent.CreatePoolAsync(new PoolDefinition { Name = pool.Name, Subnet = pool.Subnet, Default = true });

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1");

        Assert.Equal("v4", add.Value!.Ips.Single().Pool);
    }

    [Fact]
    public async Task No_pools_named_and_no_default_is_invalid_config()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1");

        Assert.Equal(7, add.Problem!.CniCode);
        Assert.Contains("--default", add.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pool_pinned_to_other_nodes_is_skipped_for_the_next_one()
    {
        await Agent.CreatePoolAsync(new PoolDefinition { Name = "rack2", Subnet = "172.20.2.0/24", Nodes = ["node2"] });
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["rack2", "v4"]);

        Assert.Equal("v4", add.Value!.Ips.Single().Pool);
    }

    [Fact]
    public async Task Only_pools_pinned_to_other_nodes_gives_code_101_saying_why()
    {
        await Agent.CreatePoolAsync(new PoolDefinition { Name = "rack2", Subnet = "172.20.2.0/24", Nodes = ["node2"] });

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["rack2"]);

        Assert.Equal(101, add.Problem!.CniCode);
        Assert.Contains("node1", add.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reserved_and_gateway_addresses_are_never_handed_out()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.1-172.20.1.3"]));
        Agent.Client.AddReserved(new ReservedChange { Addresses = ["172.20.1.2"] });

        ApiResult<CniAddResponse> first = await Agent.AddAsync("c1", v4: ["v4"]);
        ApiResult<CniAddResponse> second = await Agent.AddAsync("c2", v4: ["v4"]);

        Assert.Equal("172.20.1.3/24", first.Value!.Ips[0].Address);
        Assert.Equal("pool-exhausted", second.Problem!.Type);
    }
}
