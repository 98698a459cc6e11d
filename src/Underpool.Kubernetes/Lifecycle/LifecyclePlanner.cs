using Underpool.Kubernetes.Annotations;

namespace Underpool.Kubernetes.Lifecycle;

/// <summary>What one round of lifecycle decisions concluded: the actions, each with its reason, and the workload
/// annotations that could not be used (for the log and an Event on the object).</summary>
internal sealed record LifecycleDecision(IReadOnlyList<LifecycleAction> Actions, IReadOnlyList<AnnotationProblem> Problems);

/// <summary>The elected agent's lifecycle decisions over one snapshot (pure): pods, StatefulSets, application pools.</summary>
internal static class LifecyclePlanner
{
    public static LifecycleDecision Decide(LifecycleSnapshot snapshot, LifecycleSettings settings)
    {
        var problems = new List<AnnotationProblem>();
        List<LifecycleAction> actions =
        [
            .. PodReleaseRules.Decide(snapshot, settings),
            .. StatefulSetRules.Decide(snapshot),
            .. AppPoolRules.Decide(snapshot, problems),
        ];
        return new LifecycleDecision(actions, problems);
    }
}
