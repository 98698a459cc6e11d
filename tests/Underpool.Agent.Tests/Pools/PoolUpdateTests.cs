using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>`pool update` through the agent's API: what changes, what is refused, and that nothing withdrawn is ever
/// handed out again.</summary>
public sealed class PoolUpdateTests : AgentTest
{

    [Fact]
    public async Task Added_ranges_are_handed_out_once_the_pool_was_exhausted()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10"]));
        await Agent.AddAsync("c1", v4: ["v4"]);
        Assert.Equal("pool-exhausted", (await Agent.AddAsync("c2", v4: ["v4"])).Problem!.Type);

        PoolView updated = Updated(await UpdateAsync("v4", new PoolUpdate { AddRanges = ["172.20.1.20-172.20.1.21"] }));
        ApiResult<CniAddResponse> c2 = await Agent.AddAsync("c2", v4: ["v4"]);

        Assert.Equal(["172.20.1.10", "172.20.1.20-172.20.1.21"], updated.Pool.Ranges);
        Assert.Equal("3", updated.Usage.Capacity);
        Assert.Equal("172.20.1.20/24", c2.Value!.Ips[0].Address);
    }

    [Fact]
    public async Task Excluding_an_allocated_address_is_refused_naming_its_holder_and_changes_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        await Agent.AddAsync("c1", v4: ["v4"]);

        ApiResult<PoolView> refused = await UpdateAsync("v4", new PoolUpdate { AddExclude = ["172.20.1.10", "172.20.1.11"] });

        Assert.Equal(("address-in-use", 409), (refused.Problem!.Type, refused.Problem.Status));
        Assert.Contains("cannot stop handing out 172.20.1.10: it is allocated (172.20.1.10 to net1/c1/eth0 on node node1)",
            refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(Agent.Client.GetPool("v4").Value!.Pool.Exclude);
    }

    [Fact]
    public async Task An_excluded_address_is_never_handed_out_and_handed_out_again_once_the_exclusion_is_removed()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.11"]));
        Updated(await UpdateAsync("v4", new PoolUpdate { AddExclude = ["172.20.1.10"] }));

        ApiResult<CniAddResponse> c1 = await Agent.AddAsync("c1", v4: ["v4"]);
        ApiResult<CniAddResponse> c2 = await Agent.AddAsync("c2", v4: ["v4"]);
        Updated(await UpdateAsync("v4", new PoolUpdate { RemoveExclude = ["172.20.1.10"] }));
        ApiResult<CniAddResponse> c3 = await Agent.AddAsync("c3", v4: ["v4"]);

        Assert.Equal("172.20.1.11/24", c1.Value!.Ips[0].Address);
        Assert.Equal("pool-exhausted", c2.Problem!.Type);
        Assert.Equal("172.20.1.10/24", c3.Value!.Ips[0].Address);
    }

    [Fact]
    public async Task A_disabled_pool_hands_out_nothing_while_its_holders_keep_and_release_their_addresses()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        await Agent.AddAsync("c1", v4: ["v4"]);

        Assert.True(Updated(await UpdateAsync("v4", new PoolUpdate { Disabled = true })).Pool.Disabled);
        ApiResult<CniAddResponse> whileDisabled = await Agent.AddAsync("c2", v4: ["v4"]);
        ApiResult<CniAddResponse> again = await Agent.AddAsync("c1", v4: ["v4"]);
        ApiResult<CniDelResponse> released = await Agent.DelAsync("c1");
        Updated(await UpdateAsync("v4", new PoolUpdate { Disabled = false }));
        ApiResult<CniAddResponse> enabled = await Agent.AddAsync("c2", v4: ["v4"]);

        Assert.Equal((101, "no-eligible-pool"), (whileDisabled.Problem!.CniCode, whileDisabled.Problem.Type));
        Assert.Contains("pool 'v4' is disabled", whileDisabled.Problem.Detail, StringComparison.Ordinal);
        Assert.Equal("172.20.1.10/24", again.Value!.Ips[0].Address);
        Assert.Equal("172.20.1.10/24", Assert.Single(released.Value!.Released).Address);
        Assert.True(enabled.IsSuccess, enabled.Problem?.Detail);
    }

    [Fact]
    public async Task A_new_gateway_routes_and_nodes_apply_to_the_next_add()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));

        Updated(await UpdateAsync("v4", new PoolUpdate
        {
            Gateway = "172.20.1.254",
            Routes = [new AssignedRoute { Dst = "10.50.0.0/16", Gw = "172.20.1.253" }],
            Nodes = ["node1", "node7"],
        }));
        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v4"]);
        Updated(await UpdateAsync("v4", new PoolUpdate { Nodes = ["node7"] }));
        ApiResult<CniAddResponse> elsewhere = await Agent.AddAsync("c2", v4: ["v4"]);

        Assert.Equal("172.20.1.254", add.Value!.Ips[0].Gateway);
        AssignedRoute route = Assert.Single(add.Value.Routes);
        Assert.Equal(("10.50.0.0/16", "172.20.1.253"), (route.Dst, route.Gw));
        Assert.Equal(101, elsewhere.Problem!.CniCode);
        Assert.Contains("allows only nodes node7, and node1 is not one of the named nodes", elsewhere.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_gateway_that_a_pod_holds_is_refused()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        await Agent.AddAsync("c1", v4: ["v4"]);

        ApiResult<PoolView> refused = await UpdateAsync("v4", new PoolUpdate { Gateway = "172.20.1.10" });

        Assert.Equal("address-in-use", refused.Problem!.Type);
        Assert.Equal("172.20.1.1", Agent.Client.GetPool("v4").Value!.Pool.Gateway);
    }

    [Fact]
    public async Task Added_ranges_that_another_pool_of_the_subnet_hands_out_are_refused()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4("r1", ranges: ["172.20.1.10-172.20.1.19"]));
        await Agent.CreatePoolAsync(PoolDefinitions.V4("r2", ranges: ["172.20.1.20-172.20.1.29"]));

        ApiResult<PoolView> refused = await UpdateAsync("r1", new PoolUpdate { AddRanges = ["172.20.1.25-172.20.1.30"] });

        Assert.Equal(("pool-overlap", 409), (refused.Problem!.Type, refused.Problem.Status));
        Assert.Contains("would both hand out 172.20.1.25", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Single(Agent.Client.GetPool("r1").Value!.Pool.Ranges);
    }

    [Fact]
    public async Task A_bad_update_is_refused_with_every_mistake_and_changes_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));

        ApiResult<PoolView> refused = await UpdateAsync("v4", new PoolUpdate
        {
            AddRanges = ["172.20.1.300"],
            RemoveExclude = ["172.20.1.15"],
            Gateway = "172.20.1.1\0",
        });

        Assert.Equal(("invalid-pool", 400), (refused.Problem!.Type, refused.Problem.Status));
        Assert.Contains("'172.20.1.300' is not a range", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Contains("pool 'v4' does not exclude 172.20.1.15", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Contains("gateway '172.20.1.1\\u0000' holds a control character (U+0000)", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Equal("172.20.1.1", Agent.Client.GetPool("v4").Value!.Pool.Gateway);
    }

    [Fact]
    public async Task Updating_an_unknown_pool_is_404()
    {
        ApiResult<PoolView> refused = await UpdateAsync("nope", new PoolUpdate { Disabled = true });

        Assert.Equal(("unknown-pool", 404), (refused.Problem!.Type, refused.Problem.Status));
    }

    [Fact]
    public async Task Application_pools_follow_their_parents_gateway_and_only_disable_on_their_own()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        Assert.True(Agent.Client.CreateAppPool(new AppPoolCreate { Name = "web-set", Parent = "v4", App = "shop/web", Size = 2 }).IsSuccess);

        Updated(await UpdateAsync("v4", new PoolUpdate { Gateway = "172.20.1.254" }));
        ApiResult<PoolView> ownGateway = await UpdateAsync("web-set", new PoolUpdate { Gateway = "172.20.1.1" });
        PoolView disabled = Updated(await UpdateAsync("web-set", new PoolUpdate { Disabled = true }));

        Assert.Equal("172.20.1.254", Agent.Client.GetPool("web-set").Value!.Pool.Gateway);
        Assert.Contains("is an application pool", ownGateway.Problem!.Detail, StringComparison.Ordinal);
        Assert.True(disabled.Pool.Disabled);
    }

    [Fact]
    public async Task Excluding_an_address_carved_for_an_application_pool_is_refused_naming_it()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        Assert.True(Agent.Client.CreateAppPool(new AppPoolCreate { Name = "web-set", Parent = "v4", App = "shop/web", Size = 1 }).IsSuccess);

        ApiResult<PoolView> refused = await UpdateAsync("v4", new PoolUpdate { AddExclude = ["172.20.1.10"] });

        Assert.Contains("172.20.1.10 is carved for application pool 'web-set'", refused.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_being_excluded_while_adds_race_for_it_is_never_left_allocated_behind_the_exclusion()
    {
        // Each round: four ADDs race an update that excludes two of the pool's four addresses. Whichever wins, the
        // store must never end with an excluded address allocated: an ADD that picked it from the old spec commits
        // stale (new generation) and re-picks, and one that committed first makes the update refuse, naming it.
        for (int round = 0; round < 10; round++)
        {
            string pool = $"race{round}";
            await Agent.CreatePoolAsync(PoolDefinitions.V4(pool, $"172.20.{round + 10}.0/24", ranges: [$"172.20.{round + 10}.10-172.20.{round + 10}.13"], gateway: null));
            string[] excluded = [$"172.20.{round + 10}.12", $"172.20.{round + 10}.13"];
            Task<ApiResult<CniAddResponse>>[] adds = Enumerable.Range(0, 4).Select(i => Agent.AddAsync($"r{round}c{i}", v4: [pool])).ToArray();
            ApiResult<PoolView> update = await UpdateAsync(pool, new PoolUpdate { AddExclude = excluded });
            await Task.WhenAll(adds);

            IReadOnlyList<AllocationView> held = await Agent.AllocationsAsync(pool);
            if (update.IsSuccess)
            {
                Assert.DoesNotContain(held, a => excluded.Contains(a.Address));
            }
            else
            {
                Assert.Equal("address-in-use", update.Problem!.Type);
                Assert.Contains(held, a => excluded.Contains(a.Address) && update.Problem.Detail.Contains(a.Address, StringComparison.Ordinal));
            }
        }
    }

    private Task<ApiResult<PoolView>> UpdateAsync(string name, PoolUpdate change) => Task.Run(() => Agent.Client.UpdatePool(name, change));

    private static PoolView Updated(ApiResult<PoolView> result)
    {
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value;
    }
}
