using Underpool.Agent.Add;
using Underpool.Agent.Failures;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Testing;

namespace Underpool.Agent.Tests.Add;

/// <summary>The pick stage on its own: what it takes from the view, and that its lease gives back what is not committed.</summary>
public sealed class CandidatePickerTests
{
    [Fact]
    public async Task A_dual_stack_pick_takes_one_address_per_family_and_the_lease_gives_both_back()
    {
        await using AddStages stages = await AddStages.StartAsync(
            probe: false, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]), PoolDefinitions.V6(ranges: ["fd00:20:1::10-fd00:20:1::20"]));
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"], v6: ["v6"]);

        Outcome<CandidateLease> picked = stages.Picker.Pick(stages.Families(request), AddStages.Intent(request).Requested);

        Assert.True(picked.IsSuccess, picked.Failure?.Detail);
        using (CandidateLease lease = picked.Value!)
        {
            Assert.Equal(["172.20.1.10", "fd00:20:1::10"], lease.Held.Select(c => c.Address.ToString()));
            Assert.True(stages.IsTaken("v4", "172.20.1.10") && stages.IsTaken("v6", "fd00:20:1::10"));
        }

        Assert.False(stages.IsTaken("v4", "172.20.1.10"));
        Assert.False(stages.IsTaken("v6", "fd00:20:1::10"));
    }

    [Fact]
    public async Task A_committed_lease_gives_nothing_back()
    {
        await using AddStages stages = await AddStages.StartAsync(probe: false, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]));
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"]);

        using (CandidateLease lease = stages.Picker.Pick(stages.Families(request), AddStages.Intent(request).Requested).Value!)
        {
            lease.Committed();
        }

        Assert.True(stages.IsTaken("v4", "172.20.1.10"));
    }

    [Fact]
    public async Task A_full_family_fails_the_pick_as_exhausted_and_the_other_family_is_given_back_at_once()
    {
        await using AddStages stages = await AddStages.StartAsync(
            probe: false, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.10"]), PoolDefinitions.V6(ranges: ["fd00:20:1::10-fd00:20:1::20"]));
        CniAddRequest first = AddStages.Request("c1", v4: ["v4"]);
        using CandidateLease holder = stages.Picker.Pick(stages.Families(first), AddStages.Intent(first).Requested).Value!;
        CniAddRequest request = AddStages.Request("c2", v4: ["v4"], v6: ["v6"]);

        Outcome<CandidateLease> picked = stages.Picker.Pick(stages.Families(request), AddStages.Intent(request).Requested);

        Assert.Equal(("pool-exhausted", 100), (picked.Failure?.Type, picked.Failure?.CniCode));
        Assert.Contains("pool 'v4' (172.20.1.0/24", picked.Failure!.Detail, StringComparison.Ordinal);
        Assert.False(stages.IsTaken("v6", "fd00:20:1::10"));
    }

    [Fact]
    public async Task A_requested_address_is_taken_exactly_or_refused_as_held_by_another_endpoint()
    {
        await using AddStages stages = await AddStages.StartAsync(probe: false, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]));
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"], requested: ["172.20.1.15"]);
        using CandidateLease first = stages.Picker.Pick(stages.Families(request), AddStages.Intent(request).Requested).Value!;

        Outcome<CandidateLease> again = stages.Picker.Pick(stages.Families(request), AddStages.Intent(request).Requested);

        Assert.Equal(IpAddress.Parse("172.20.1.15"), Assert.Single(first.Held).Address);
        Assert.Equal(("requested-address-unavailable", 104), (again.Failure?.Type, again.Failure?.CniCode));
        Assert.Contains("is allocated to another endpoint", again.Failure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requested_address_outside_the_pools_is_refused_and_takes_nothing()
    {
        await using AddStages stages = await AddStages.StartAsync(probe: false, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]));
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"], requested: ["172.20.1.50"]);

        Outcome<CandidateLease> picked = stages.Picker.Pick(stages.Families(request), AddStages.Intent(request).Requested);

        Assert.Equal("requested-address-unavailable", picked.Failure?.Type);
        Assert.Contains("outside their ranges", picked.Failure!.Detail, StringComparison.Ordinal);
        Assert.Equal(0L, stages.Registry.Usage("v4")!.Value.Used);
    }
}
