using System.Globalization;
using Underpool.Kubernetes.Owners;

namespace Underpool.Kubernetes.Lifecycle;

/// <summary>When a StatefulSet's static addresses go (pure): ordinals at or past its replicas after a scale-down, all
/// of them after it is deleted (unless it was annotated <c>underpool.io/keep: "true"</c>). Never while a pod of that
/// name exists (it is restarting or moving and must find its address again) or a container runs the endpoint. A
/// StatefulSet that is gone without the watch having seen it go (deleted while no agent led) is left alone: whether it
/// wished to keep its addresses is unknown, and a kept address is released by hand, a wrongly released one cannot be
/// taken back.</summary>
internal static class StatefulSetRules
{
    public static IEnumerable<LifecycleAction> Decide(LifecycleSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        IEnumerable<HeldEndpoint> candidates = snapshot.Held
            .Where(h => h.Static && h.OwnerKind == OwnerRules.StatefulSet && h.OwnerName is not null && !h.Running)
            .Where(h => !snapshot.Pods.ContainsKey(h.PodKey))
            .DistinctBy(h => h.PodKey);
        foreach (HeldEndpoint held in candidates)
        {
            string owner = KubernetesNames.Key(held.Namespace, held.OwnerName!);
            if (snapshot.StatefulSets.TryGetValue(owner, out StatefulSetInfo? live))
            {
                if (Ordinal(held.PodName, live.Name) is { } ordinal && ordinal >= live.Replicas)
                {
                    yield return new ReleaseStatic(
                        held.Namespace, held.PodName, ReleaseReason.StatefulSetScaledDown,
                        $"StatefulSet {owner} has {live.Replicas} replicas; {held.PodName} (ordinal {ordinal}) is gone");
                }
            }
            else if (snapshot.DeletedStatefulSets.TryGetValue(owner, out StatefulSetInfo? deleted) && !deleted.Keep)
            {
                yield return new ReleaseStatic(held.Namespace, held.PodName, ReleaseReason.StatefulSetDeleted, $"StatefulSet {owner} was deleted");
            }
        }
    }

    /// <summary>The ordinal of a StatefulSet pod's name ("web-3" of "web" is 3), or null for a name not of that form.</summary>
    public static int? Ordinal(string podName, string statefulSetName)
    {
        ArgumentNullException.ThrowIfNull(podName);
        ArgumentNullException.ThrowIfNull(statefulSetName);
        if (podName.Length <= statefulSetName.Length + 1 || !podName.StartsWith(statefulSetName + "-", StringComparison.Ordinal))
        {
            return null;
        }

        string suffix = podName[(statefulSetName.Length + 1)..];
        bool canonical = suffix.All(char.IsAsciiDigit) && (suffix == "0" || suffix[0] != '0');
        return canonical && int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal) ? ordinal : null;
    }
}
