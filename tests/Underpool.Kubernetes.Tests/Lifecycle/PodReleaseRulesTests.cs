using Underpool.Kubernetes.Lifecycle;
using Underpool.Kubernetes.Nodes;
using Underpool.Kubernetes.Pods;
using static Underpool.Kubernetes.Tests.Lifecycle.Snapshots;

namespace Underpool.Kubernetes.Tests.Lifecycle;

public sealed class PodReleaseRulesTests
{
    [Fact]
    public void A_deleted_pod_has_its_addresses_released_by_uid()
    {
        LifecycleAction action = Assert.Single(Decide(Of([Held("web-1", "u1")])));

        Assert.Equal(new ReleasePod("shop", "web-1", "u1", ReleaseReason.PodDeleted, "pod shop/web-1 (uid u1) no longer exists"), action);
    }

    [Fact]
    public void A_holding_younger_than_the_in_flight_grace_is_left_alone_even_without_a_pod()
    {
        Assert.Empty(Decide(Of([Held("web-1", "u1", age: TimeSpan.FromSeconds(5))])));
    }

    [Fact]
    public void A_pod_re_created_under_the_same_name_keeps_its_addresses_and_only_the_old_uid_is_released()
    {
        List<LifecycleAction> actions = Decide(Of([Held("web-1", "old"), Held("web-1", "new")], [Pod("web-1", "new")]));

        ReleasePod release = Assert.IsType<ReleasePod>(Assert.Single(actions));
        Assert.Equal(("old", ReleaseReason.PodReplaced), (release.PodUid, release.Reason));
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void A_finished_pod_has_its_addresses_released(string phase)
    {
        ReleasePod release = Assert.IsType<ReleasePod>(Assert.Single(Decide(Of([Held("job-1", "u1")], [Pod("job-1", "u1", Enum.Parse<PodPhase>(phase))]))));

        Assert.Equal(ReleaseReason.PodFinished, release.Reason);
    }

    [Theory]
    [InlineData("Running")]
    [InlineData("Pending")]
    [InlineData("Unknown")]
    public void A_pod_that_may_still_run_keeps_its_addresses(string phase)
    {
        Assert.Empty(Decide(Of([Held("web-1", "u1")], [Pod("web-1", "u1", Enum.Parse<PodPhase>(phase))])));
    }

    [Fact]
    public void A_pod_terminating_on_a_Ready_node_is_left_to_its_kubelet_however_late()
    {
        Assert.Empty(Decide(Of([Held("web-1", "u1")], [Pod("web-1", "u1", deletion: Now - TimeSpan.FromHours(1))])));
    }

    [Theory]
    [InlineData("False")]
    [InlineData("Unknown")]
    [InlineData("gone")]
    public void A_pod_terminating_on_a_node_that_is_not_Ready_is_released_after_its_grace_period_and_the_delay(string node)
    {
        NodeInfo[] nodes = node switch
        {
            "False" => [new NodeInfo("node1", new Dictionary<string, string>(), false)],
            "Unknown" => [new NodeInfo("node1", new Dictionary<string, string>(), null)],
            _ => [],
        };
        HeldEndpoint[] held = [Held("web-1", "u1")];

        Assert.Empty(Decide(Of(held, [Pod("web-1", "u1", deletion: Now - TimeSpan.FromSeconds(59))], nodes)));
        ReleasePod release = Assert.IsType<ReleasePod>(Assert.Single(Decide(Of(held, [Pod("web-1", "u1", deletion: Now - TimeSpan.FromSeconds(60))], nodes))));
        Assert.Equal(ReleaseReason.NodeNotReady, release.Reason);
    }

    [Fact]
    public void Static_endpoints_are_never_released_when_their_pod_goes()
    {
        Assert.Empty(Decide(Of([Held("db-0", "u1", isStatic: true, owner: "db", running: false)])));
    }

    [Fact]
    public void Holdings_without_a_pod_uid_are_not_Kubernetes_pods_and_are_left_alone()
    {
        Assert.Empty(Decide(Of([Held("podman-box", null)])));
    }

    [Fact]
    public void A_pod_with_two_interfaces_gets_one_release()
    {
        Assert.Single(Decide(Of([Held("web-1", "u1"), Held("web-1", "u1")])));
    }

    private static List<LifecycleAction> Decide(LifecycleSnapshot snapshot) => PodReleaseRules.Decide(snapshot, Settings).ToList();
}
