using Underpool.Agent.Add;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Probe.Wire;
using Underpool.Testing;

namespace Underpool.Agent.Tests.Add;

/// <summary>A candidate another prober wanted at the same moment is kept out of this agent's picks for a short while,
/// so two agents that met on it do not pick it again together (the livelock that made a burst of ADDs on four nodes
/// give up with CNI 11 while a fallback pool had hundreds of addresses free).</summary>
public sealed class ContendedPickTests
{
    private static readonly MacAddress OtherAgent = new(0x0200_0000_0b02);

    [Fact]
    public async Task A_contended_candidate_is_replaced_and_not_picked_again_until_its_hold_ends()
    {
        var clock = new SteppedClock();
        await using AddStages stages = await AddStages.StartAsync(probe: true, clock, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.12"]));
        stages.Segment.Contend(OtherAgent, "172.20.1.10");
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"]);
        IReadOnlyList<IReadOnlyList<Core.Pools.PoolSpec>> families = stages.Families(request);
        using CandidateLease lease = stages.Picker.Pick(families, AddStages.Intent(request).Requested).Value!;

        var refused = await stages.Screen.ScreenAsync(AddStages.Intent(request), lease, families, CancellationToken.None);

        Assert.Null(refused);
        string held = Assert.Single(lease.Held).Address.ToString();
        Assert.NotEqual("172.20.1.10", held);
        Assert.Equal(1, stages.Registry.ContendedHeld);
        string? third = stages.Registry.TryTake("v4")?.ToString();
        Assert.NotNull(third);
        Assert.NotEqual("172.20.1.10", third);
        Assert.Null(stages.Registry.TryTake("v4"));

        clock.Advance(ContendedHolds.Longest);

        Assert.Equal("172.20.1.10", stages.Registry.TryTake("v4")?.ToString());
        Assert.Equal(0, stages.Registry.ContendedHeld);
    }

    [Fact]
    public async Task A_contended_pick_the_store_shows_held_meanwhile_stays_used_after_its_hold()
    {
        var clock = new SteppedClock();
        await using AddStages stages = await AddStages.StartAsync(probe: false, clock, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.10"]));
        IpAddress address = stages.Registry.TryTake("v4")!.Value;

        stages.Registry.GiveBack("v4", address);
        stages.Registry.MarkUsed("v4", address);
        clock.Advance(ContendedHolds.Longest);

        Assert.Null(stages.Registry.TryTake("v4"));
        Assert.True(stages.IsTaken("v4", "172.20.1.10"));
    }

    [Fact]
    public async Task An_address_asked_for_by_name_is_not_kept_from_its_add_by_a_hold()
    {
        var clock = new SteppedClock();
        await using AddStages stages = await AddStages.StartAsync(probe: false, clock, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.11"]));
        IpAddress address = stages.Registry.TryTake("v4")!.Value;
        stages.Registry.GiveBack("v4", address);

        Assert.True(stages.Registry.TryTakeExact("v4", address));
        Assert.Equal(0, stages.Registry.ContendedHeld);
    }

    [Fact]
    public async Task A_pool_whose_free_addresses_are_all_held_back_says_try_again_not_exhausted()
    {
        var clock = new SteppedClock();
        await using AddStages stages = await AddStages.StartAsync(probe: false, clock, PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.10"]));
        stages.Registry.GiveBack("v4", stages.Registry.TryTake("v4")!.Value);
        CniAddRequest request = AddStages.Request("c1", v4: ["v4"]);

        var picked = stages.Picker.Pick(stages.Families(request), AddStages.Intent(request).Requested);

        Assert.Equal(("contention", 11), (picked.Failure?.Type, picked.Failure?.CniCode));
        clock.Advance(ContendedHolds.Longest);
        using CandidateLease lease = stages.Picker.Pick(stages.Families(request), AddStages.Intent(request).Requested).Value!;
        Assert.Equal("172.20.1.10", Assert.Single(lease.Held).Address.ToString());
    }

    [Fact]
    public void Hold_lengths_are_random_between_the_shortest_and_the_longest()
    {
        TimeSpan[] lengths = Enumerable.Range(0, 200).Select(_ => ContendedHolds.RandomLength()).ToArray();

        Assert.All(lengths, l => Assert.InRange(l, ContendedHolds.Shortest, ContendedHolds.Longest));
        Assert.True(lengths.Distinct().Count() > 100, "two agents must not draw the same length");
    }

    /// <summary>A clock that moves only when the test moves it.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
