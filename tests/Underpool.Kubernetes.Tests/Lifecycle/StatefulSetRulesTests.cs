using Underpool.Kubernetes.Lifecycle;
using static Underpool.Kubernetes.Tests.Lifecycle.Snapshots;

namespace Underpool.Kubernetes.Tests.Lifecycle;

public sealed class StatefulSetRulesTests
{
    private static readonly StatefulSetInfo Db2 = new("shop", "db", "s1", 2, Keep: false);

    [Fact]
    public void Scaling_down_releases_the_static_addresses_of_ordinals_at_or_past_the_replicas()
    {
        LifecycleSnapshot snapshot = Of([Stopped("db-0"), Stopped("db-1"), Stopped("db-2"), Stopped("db-3")]) with { StatefulSets = Sets(Db2) };

        List<ReleaseStatic> released = Decide(snapshot).Cast<ReleaseStatic>().ToList();

        Assert.Equal(["db-2", "db-3"], released.Select(r => r.PodName));
        Assert.All(released, r => Assert.Equal(ReleaseReason.StatefulSetScaledDown, r.Reason));
    }

    [Fact]
    public void A_StatefulSet_pod_that_is_restarting_is_never_released()
    {
        // db-2 is past the replicas, but a pod of that name still exists (terminating, or re-created): it may need
        // its address back; it goes once the pod is gone.
        LifecycleSnapshot snapshot = Of([Stopped("db-2")], [Pod("db-2", "new-uid")]) with { StatefulSets = Sets(Db2) };

        Assert.Empty(Decide(snapshot));
    }

    [Fact]
    public void An_endpoint_a_container_runs_is_never_released()
    {
        LifecycleSnapshot snapshot = Of([Held("db-2", "u", isStatic: true, owner: "db", running: true)]) with { StatefulSets = Sets(Db2) };

        Assert.Empty(Decide(snapshot));
    }

    [Fact]
    public void A_deleted_StatefulSet_releases_all_of_its_static_addresses()
    {
        LifecycleSnapshot snapshot = Of([Stopped("db-0"), Stopped("db-1")]) with { DeletedStatefulSets = Sets(Db2) };

        List<LifecycleAction> actions = Decide(snapshot);

        Assert.Equal(2, actions.Count);
        Assert.All(actions, a => Assert.Equal(ReleaseReason.StatefulSetDeleted, Assert.IsType<ReleaseStatic>(a).Reason));
    }

    [Fact]
    public void A_deleted_StatefulSet_annotated_keep_keeps_its_static_addresses()
    {
        LifecycleSnapshot snapshot = Of([Stopped("db-0")]) with { DeletedStatefulSets = Sets(Db2 with { Keep = true }) };

        Assert.Empty(Decide(snapshot));
    }

    [Fact]
    public void A_StatefulSet_gone_without_the_watch_seeing_it_go_is_left_alone()
    {
        Assert.Empty(Decide(Of([Stopped("db-0")])));
    }

    [Fact]
    public void A_StatefulSet_deleted_and_created_again_is_judged_by_the_new_one()
    {
        LifecycleSnapshot snapshot = Of([Stopped("db-0"), Stopped("db-1")]) with
        {
            DeletedStatefulSets = Sets(Db2),
            StatefulSets = Sets(Db2 with { Uid = "s2", Replicas = 1 }),
        };

        ReleaseStatic release = Assert.IsType<ReleaseStatic>(Assert.Single(Decide(snapshot)));
        Assert.Equal(("db-1", ReleaseReason.StatefulSetScaledDown), (release.PodName, release.Reason));
    }

    [Fact]
    public void Static_endpoints_of_other_owners_are_not_the_StatefulSet_rules_business()
    {
        LifecycleSnapshot snapshot = Of([Held("db-5", null, isStatic: true, owner: null, running: false)]) with { StatefulSets = Sets(Db2) };

        Assert.Empty(Decide(snapshot));
    }

    [Theory]
    [InlineData("db-0", "db", 0)]
    [InlineData("db-12", "db", 12)]
    [InlineData("my-db-3", "my-db", 3)]
    [InlineData("db-01", "db", null)]
    [InlineData("db-x", "db", null)]
    [InlineData("db-", "db", null)]
    [InlineData("web-1", "db", null)]
    [InlineData("db-1-2", "db", null)]
    public void The_ordinal_is_read_from_the_canonical_pod_name_only(string pod, string set, int? expected)
    {
        Assert.Equal(expected, StatefulSetRules.Ordinal(pod, set));
    }

    private static HeldEndpoint Stopped(string pod) => Held(pod, null, isStatic: true, owner: "db", running: false);

    private static Dictionary<string, StatefulSetInfo> Sets(params StatefulSetInfo[] sets) => sets.ToDictionary(s => s.Key);

    private static List<LifecycleAction> Decide(LifecycleSnapshot snapshot) => StatefulSetRules.Decide(snapshot).ToList();
}
