using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Probe;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>ADD with conflict probing, against a fake segment: conflicts are quarantined and replaced.</summary>
public sealed class ConflictProbeTests : AgentTest
{
    private readonly FakeProber _segment = new();

    protected override IAddressProber Prober => _segment;

    [Fact]
    public async Task A_candidate_another_host_answers_for_is_quarantined_and_the_pod_gets_the_next_address()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]));
        _segment.Hold("172.20.1.10");

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v4"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal("172.20.1.11/24", add.Value.Ips[0].Address);
        ConflictView conflict = Assert.Single((await ListAsync()).Conflicts);
        Assert.Equal(("172.20.1.10", "v4", "02:42:ac:14:01:3c", "node1", "fake0"), (conflict.Address, conflict.Pool, conflict.Mac, conflict.Node, conflict.Interface));
        Assert.Equal(["172.20.1.10", "172.20.1.11"], _segment.Probed);
    }

    [Fact]
    public async Task A_requested_address_another_host_answers_for_fails_the_add_instead_of_giving_another()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]));
        _segment.Hold("172.20.1.15");

        ApiResult<CniAddResponse> add = await Task.Run(() => Agent.Client.Add(new CniAddRequest
        {
            Attachment = InProcessAgent.Attachment("c1"),
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            RequestedIps = ["172.20.1.15"],
        }));

        Assert.Equal(("address-conflicts", 104), (add.Problem?.Type, add.Problem?.CniCode));
        Assert.Contains("requested address 172.20.1.15 is in use on the underlay", add.Problem!.Detail, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
        Assert.Equal("172.20.1.15", Assert.Single((await ListAsync()).Conflicts).Address);
    }

    [Fact]
    public async Task The_netconf_master_is_the_interface_probed()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<CniAddResponse> add = await Task.Run(() => Agent.Client.Add(new CniAddRequest
        {
            Attachment = InProcessAgent.Attachment("c1"),
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            Uplink = "bond0.20",
        }));

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal("bond0.20", Assert.Single(_segment.Calls).Uplink.Interface);
    }

    [Fact]
    public async Task A_dual_stack_adds_two_candidates_are_probed_together()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4());
        await Agent.CreatePoolAsync(PoolDefinitions.V6());
        _segment.Hold("fd00:20:1::2");

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v4"], v6: ["v6"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal(["172.20.1.2/24", "fd00:20:1::3/64"], add.Value.Ips.Select(i => i.Address));
        Assert.Equal([2, 1], _segment.Calls.Select(c => c.Addresses.Count));
    }

    [Fact]
    public async Task When_every_candidate_answers_the_add_fails_clearly_and_holds_nothing()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.12"]));
        _segment.Hold("172.20.1.10", "172.20.1.11", "172.20.1.12");

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v4"]);

        Assert.False(add.IsSuccess);
        Assert.Equal(("address-conflicts", 104), (add.Problem.Type, add.Problem.CniCode));
        Assert.Contains("3 candidate IPv4 addresses of 'v4' answered", add.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await Agent.AllocationsAsync());
        Assert.Equal(3, (await ListAsync()).Conflicts.Count);
    }

    [Fact]
    public async Task A_pool_with_probing_off_hands_out_a_conflicting_address_without_probing()
    {
        PoolDefinition pool = PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]);
        await Agent.CreatePoolAsync(new PoolDefinition { Name = pool.Name, Subnet = pool.Subnet, Ranges = pool.Ranges, Probe = "off" });
        _segment.Hold("172.20.1.10");

        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v4"]);

        Assert.Equal("172.20.1.10/24", add.Value!.Ips[0].Address);
        Assert.Empty(_segment.Calls);
    }

    [Fact]
    public async Task A_quarantined_address_is_freed_by_clear_only_once_nobody_answers()
    {
        await Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.11"]));
        _segment.Hold("172.20.1.10");
        Assert.True((await Agent.AddAsync("c1", v4: ["v4"])).IsSuccess);

        ApiResult<ConflictView> stillHeld = await ClearAsync("172.20.1.10");
        _segment.Forget("172.20.1.10");
        ApiResult<ConflictView> freed = await ClearAsync("172.20.1.10");
        ApiResult<CniAddResponse> next = await Agent.AddAsync("c2", v4: ["v4"]);

        Assert.Equal((409, "still-in-conflict"), (stillHeld.Problem?.Status, stillHeld.Problem?.Type));
        Assert.Contains("02:42:ac:14:01:3c", stillHeld.Problem?.Detail, StringComparison.Ordinal);
        Assert.True(freed.IsSuccess, freed.Problem?.Detail);
        Assert.Empty((await ListAsync()).Conflicts);
        Assert.Equal("172.20.1.10/24", next.Value!.Ips[0].Address);
    }

    [Theory]
    [InlineData("172.20.1.99", 404, "not-quarantined")]
    [InlineData("not-an-ip", 400, "invalid-request")]
    public async Task Clearing_an_address_that_is_not_quarantined_or_not_an_address_is_refused(string address, int status, string type)
    {
        ApiResult<ConflictView> clear = await ClearAsync(address);

        Assert.Equal((status, type), (clear.Problem?.Status, clear.Problem?.Type));
    }

    [Fact]
    public async Task A_gateway_that_does_not_answer_fails_the_add_naming_it_and_the_uplink_unless_set_to_warn()
    {
        await Agent.CreatePoolAsync(new PoolDefinition { Name = "strict", Subnet = "172.20.1.0/24", Gateway = "172.20.1.1", CheckGateway = "on" });
        await Agent.CreatePoolAsync(new PoolDefinition { Name = "lenient", Subnet = "172.20.2.0/24", Gateway = "172.20.2.1", CheckGateway = "warn" });

        ApiResult<CniAddResponse> strict = await Agent.AddAsync("c1", v4: ["strict"]);
        ApiResult<CniAddResponse> lenient = await Agent.AddAsync("c2", v4: ["lenient"]);
        _segment.Hold("172.20.1.1");
        ApiResult<CniAddResponse> reachable = await Agent.AddAsync("c3", v4: ["strict"]);

        Assert.Equal(("gateway-unreachable", 105), (strict.Problem?.Type, strict.Problem?.CniCode));
        Assert.Contains("gateway 172.20.1.1 of pool 'strict'", strict.Problem?.Detail, StringComparison.Ordinal);
        Assert.Contains("fake0", strict.Problem?.Detail, StringComparison.Ordinal);
        Assert.True(lenient.IsSuccess, lenient.Problem?.Detail);
        Assert.True(reachable.IsSuccess, reachable.Problem?.Detail);
        Assert.Single(await Agent.AllocationsAsync("strict"));
    }

    [Theory]
    [InlineData("sometimes", null, "probe 'sometimes' must be 'on' or 'off'")]
    [InlineData(null, "always", "checkGateway 'always' must be 'off', 'on' or 'warn'")]
    public async Task Bad_probe_options_on_a_pool_are_refused(string? probe, string? checkGateway, string message)
    {
        ApiResult<PoolView> create = await Task.Run(() => Agent.Client.CreatePool(
            new PoolDefinition { Name = "p", Subnet = "172.20.1.0/24", Gateway = "172.20.1.1", Probe = probe, CheckGateway = checkGateway }));

        Assert.Equal(400, create.Problem?.Status);
        Assert.Contains(message, create.Problem?.Detail, StringComparison.Ordinal);
    }

    private Task<ConflictList> ListAsync() => Task.Run(() =>
    {
        ApiResult<ConflictList> list = Agent.Client.ListConflicts();
        Assert.True(list.IsSuccess, list.Problem?.Detail);
        return list.Value;
    });

    private Task<ApiResult<ConflictView>> ClearAsync(string address) =>
        Task.Run(() => Agent.Client.ClearConflict(new ConflictClear { Address = address }));
}
