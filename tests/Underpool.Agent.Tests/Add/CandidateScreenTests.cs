using Underpool.Agent.Add;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests.Add;

/// <summary>The screen stage on its own: candidates answered for on the segment are set aside and replaced in the lease,
/// and a refusal leaves the lease holding only what its owner must give back.</summary>
public sealed class CandidateScreenTests
{
    [Fact]
    public async Task A_candidate_a_foreign_host_answers_for_is_quarantined_and_replaced_in_the_lease()
    {
        await using AddStages stages = await AddStages.StartAsync(probe: true, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]));
        stages.Segment.Hold("172.20.1.10");
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"]);
        IReadOnlyList<IReadOnlyList<Core.Pools.PoolSpec>> families = stages.Families(request);
        using CandidateLease lease = stages.Picker.Pick(families, AddStages.Intent(request).Requested).Value!;

        var refused = await stages.Screen.ScreenAsync(AddStages.Intent(request), lease, families, CancellationToken.None);

        Assert.Null(refused);
        Assert.Equal("172.20.1.11", Assert.Single(lease.Held).Address.ToString());
        Assert.Equal("172.20.1.10", Assert.Single(stages.Registry.Quarantined).Address.ToString());
        Assert.Equal(["172.20.1.10", "172.20.1.11"], stages.Segment.Probed);
    }

    [Fact]
    public async Task When_every_candidate_of_a_family_answers_the_screen_refuses_and_the_lease_still_holds_the_other_family()
    {
        await using AddStages stages = await AddStages.StartAsync(
            probe: true, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.11"]), PoolDefinitions.V6(ranges: ["fd00:20:1::10-fd00:20:1::20"]));
        stages.Segment.Hold("172.20.1.10", "172.20.1.11");
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"], v6: ["v6"]);
        IReadOnlyList<IReadOnlyList<Core.Pools.PoolSpec>> families = stages.Families(request);
        CandidateLease lease = stages.Picker.Pick(families, AddStages.Intent(request).Requested).Value!;

        var refused = await stages.Screen.ScreenAsync(AddStages.Intent(request), lease, families, CancellationToken.None);

        Assert.Equal(("address-conflicts", 104), (refused?.Type, refused?.CniCode));
        Assert.Equal("fd00:20:1::10", Assert.Single(lease.Held).Address.ToString());
        lease.Dispose();
        Assert.False(stages.IsTaken("v6", "fd00:20:1::10"));
        Assert.Equal(2, stages.Registry.Quarantined.Count);
    }

    [Fact]
    public async Task A_gateway_that_does_not_answer_refuses_the_add_after_the_candidates_are_screened()
    {
        PoolDefinition pool = PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]);
        await using AddStages stages = await AddStages.StartAsync(probe: true, new PoolDefinition
        {
            Name = pool.Name, Subnet = pool.Subnet, Ranges = pool.Ranges, Gateway = pool.Gateway, CheckGateway = "on",
        });
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"]);
        IReadOnlyList<IReadOnlyList<Core.Pools.PoolSpec>> families = stages.Families(request);
        using CandidateLease lease = stages.Picker.Pick(families, AddStages.Intent(request).Requested).Value!;

        var refused = await stages.Screen.ScreenAsync(AddStages.Intent(request), lease, families, CancellationToken.None);

        Assert.Equal(("gateway-unreachable", 105), (refused?.Type, refused?.CniCode));
        Assert.Equal(["172.20.1.10", "172.20.1.1"], stages.Segment.Probed);
    }
}
