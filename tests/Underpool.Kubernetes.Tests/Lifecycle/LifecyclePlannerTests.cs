using Underpool.Kubernetes.Annotations;
using Underpool.Kubernetes.Lifecycle;
using static Underpool.Kubernetes.Tests.Lifecycle.Snapshots;

namespace Underpool.Kubernetes.Tests.Lifecycle;

public sealed class LifecyclePlannerTests
{
    [Fact]
    public void One_round_gathers_the_actions_of_every_rule_and_the_problems()
    {
        var bad = new DeploymentInfo("shop", "api", "d2", 1, new Dictionary<string, string>
        {
            [UnderpoolAnnotations.AppPoolSubnet] = "vlan20",
            [UnderpoolAnnotations.AppPoolSize] = "lots",
        });
        LifecycleSnapshot snapshot = Of([Held("web-1", "u1"), Held("db-3", null, isStatic: true, owner: "db", running: false)]) with
        {
            StatefulSets = new Dictionary<string, StatefulSetInfo> { ["shop/db"] = new("shop", "db", "s", 3, false) },
            Deployments = new Dictionary<string, DeploymentInfo> { [bad.Key] = bad },
        };

        LifecycleDecision decision = LifecyclePlanner.Decide(snapshot, Settings);

        Assert.Collection(
            decision.Actions,
            a => Assert.Equal(ReleaseReason.PodDeleted, Assert.IsType<ReleasePod>(a).Reason),
            a => Assert.Equal(ReleaseReason.StatefulSetScaledDown, Assert.IsType<ReleaseStatic>(a).Reason));
        Assert.Equal(UnderpoolAnnotations.AppPoolSize, Assert.Single(decision.Problems).Annotation);
    }

    [Theory]
    [InlineData("PodDeleted", "pod_deleted")]
    [InlineData("PodFinished", "pod_finished")]
    [InlineData("PodReplaced", "pod_replaced")]
    [InlineData("NodeNotReady", "node_not_ready")]
    [InlineData("StatefulSetScaledDown", "statefulset_scaled_down")]
    [InlineData("StatefulSetDeleted", "statefulset_deleted")]
    [InlineData("AppDeleted", "app_deleted")]
    public void Every_reason_has_a_metric_label(string reason, string label) => Assert.Equal(label, Enum.Parse<ReleaseReason>(reason).Label());
}
