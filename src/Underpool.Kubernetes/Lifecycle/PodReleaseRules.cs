using Underpool.Kubernetes.Nodes;
using Underpool.Kubernetes.Pods;

namespace Underpool.Kubernetes.Lifecycle;

/// <summary>When a pod's non-static addresses go (pure): its uid no longer exists (deleted, or a new pod has its
/// name), it finished (Succeeded/Failed), or it is terminating on a node that is not Ready and its grace period plus
/// the delay has passed (its kubelet cannot say it stopped). Matched by uid, never by name alone: a re-created pod of
/// the same name is another pod and keeps what it has. Static endpoints are never released here: a StatefulSet pod
/// that restarts or moves keeps its address (see <see cref="StatefulSetRules"/>).</summary>
internal static class PodReleaseRules
{
    public static IEnumerable<LifecycleAction> Decide(LifecycleSnapshot snapshot, LifecycleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        IEnumerable<HeldEndpoint> candidates = snapshot.Held
            .Where(h => !h.Static && !string.IsNullOrEmpty(h.PodUid))
            .DistinctBy(h => h.PodUid);
        foreach (HeldEndpoint held in candidates)
        {
            if (Decide(held, snapshot, settings) is { } action)
            {
                yield return action;
            }
        }
    }

    private static ReleasePod? Decide(HeldEndpoint held, LifecycleSnapshot snapshot, LifecycleSettings settings)
    {
        string uid = held.PodUid!;
        snapshot.Pods.TryGetValue(held.PodKey, out PodInfo? pod);
        if (pod is null || pod.Uid != uid)
        {
            // The watch may not have shown a pod whose ADD just committed: leave young holdings to the next round.
            if (snapshot.Now - held.CreatedAt < settings.InFlightGrace)
            {
                return null;
            }

            return pod is null
                ? Release(held, ReleaseReason.PodDeleted, $"pod {held.PodKey} (uid {uid}) no longer exists")
                : Release(held, ReleaseReason.PodReplaced, $"pod {held.PodKey} is now uid {pod.Uid}; uid {uid} no longer exists");
        }

        if (pod.IsFinished)
        {
            return Release(held, ReleaseReason.PodFinished, $"pod {held.PodKey} (uid {uid}) has {pod.Phase}");
        }

        if (pod.DeletionTimestamp is { } graceEnds && !IsReady(snapshot, pod.NodeName)
            && snapshot.Now >= graceEnds + settings.TerminatingReleaseDelay)
        {
            return Release(
                held,
                ReleaseReason.NodeNotReady,
                $"pod {held.PodKey} (uid {uid}) is terminating on node {pod.NodeName}, which is not Ready, and its grace period ended at {graceEnds:O} "
                + $"(+{settings.TerminatingReleaseDelay.TotalSeconds:0} s)");
        }

        return null;
    }

    /// <summary>Ready only when the node says so: a node whose kubelet stopped reporting is "Unknown", and a deleted
    /// node is no node.</summary>
    private static bool IsReady(LifecycleSnapshot snapshot, string? nodeName) =>
        nodeName is not null && snapshot.Nodes.TryGetValue(nodeName, out NodeInfo? node) && node.Ready == true;

    private static ReleasePod Release(HeldEndpoint held, ReleaseReason reason, string why) => new(held.Namespace, held.PodName, held.PodUid!, reason, why);
}
