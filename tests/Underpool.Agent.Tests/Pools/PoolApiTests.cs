using Underpool.Api;
using Underpool.Api.Contracts;

using Underpool.Testing;

namespace Underpool.Agent.Tests;

public sealed class PoolApiTests : AgentTest
{

    [Fact]
    public async Task Created_pool_is_shown_with_its_usage()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.19"]));
        await Agent.AddAsync("c1", v4: ["v4"]);

        ApiResult<PoolView> pool = Agent.Client.GetPool("v4");

        Assert.Equal("ipv4", pool.Value!.Family);
        Assert.Equal(1, pool.Value.Usage.Allocated);
        Assert.Equal("10", pool.Value.Usage.Capacity);
    }

    [Fact]
    public async Task A_64_pool_reports_its_capacity_exactly()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V6(gateway: null));

        ApiResult<PoolView> pool = Agent.Client.GetPool("v6");

        Assert.Equal("18446744073709551615", pool.Value!.Usage.Capacity);
    }

    [Theory]
    [InlineData("10.0.0.5/24", "host bits")]
    [InlineData("not-a-cidr", "not a CIDR")]
    public async Task A_bad_subnet_is_refused_with_a_400_that_says_why(string subnet, string expected)
    {
        ApiResult<PoolView> create = Agent.Client.CreatePool(new PoolDefinition { Name = "bad", Subnet = subnet });

        Assert.Equal(400, create.Problem!.Status);
        Assert.Contains(expected, create.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty((Agent.Client.ListPools()).Value!);
    }

    [Fact]
    public async Task A_range_outside_the_subnet_is_refused()
    {
        ApiResult<PoolView> create = Agent.Client.CreatePool(
            PoolDefinitions.V4(ranges: ["172.20.2.1-172.20.2.9"]));

        Assert.Equal("invalid-pool", create.Problem!.Type);
        Assert.Contains("172.20.2.1", create.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overlapping_pool_is_refused_with_409_and_not_stored()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<PoolView> create = Agent.Client.CreatePool(PoolDefinitions.V4("wide", "172.20.0.0/16", gateway: null));

        Assert.Equal("pool-overlap", create.Problem!.Type);
        Assert.Equal(409, create.Problem.Status);
        Assert.Single((Agent.Client.ListPools()).Value!);
    }

    [Fact]
    public async Task A_duplicate_name_is_refused()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<PoolView> create = Agent.Client.CreatePool(PoolDefinitions.V4(subnet: "172.20.9.0/24", gateway: null));

        Assert.Equal("pool-exists", create.Problem!.Type);
    }

    [Fact]
    public async Task Deleting_a_pool_in_use_is_refused_unless_forced()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.AddAsync("c1", v4: ["v4"]);

        ApiResult<PoolDeleteResponse> refused = Agent.Client.DeletePool("v4", force: false);
        ApiResult<PoolDeleteResponse> forced = Agent.Client.DeletePool("v4", force: true);

        Assert.Equal("pool-in-use", refused.Problem!.Type);
        Assert.Equal(1, forced.Value!.Released);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Deleting_an_unknown_pool_is_404()
    {
        ApiResult<PoolDeleteResponse> delete = Agent.Client.DeletePool("ghost", force: false);

        Assert.Equal(404, delete.Problem!.Status);
    }

    [Fact]
    public async Task Reserving_an_allocated_address_warns_that_it_stays_with_its_holder()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        string held = (await Agent.AddAsync("c1", v4: ["v4"])).Value!.Ips[0].Address.Split('/')[0];

        ApiResult<ReservedChangeResponse> reserve = Agent.Client.AddReserved(
            new ReservedChange { Addresses = [held, "172.20.1.200"] });

        Assert.Equal([held, "172.20.1.200"], reserve.Value!.Changed);
        Assert.Contains(held, Assert.Single(reserve.Value.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_reserved_address_is_refused_and_nothing_is_reserved()
    {
        ApiResult<ReservedChangeResponse> reserve = Agent.Client.AddReserved(
            new ReservedChange { Addresses = ["172.20.1.9", "300.1.1.1"] });

        Assert.Equal(400, reserve.Problem!.Status);
        Assert.Empty((Agent.Client.ListReserved()).Value!.Addresses);
    }
}
