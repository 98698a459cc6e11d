using Underpool.Kubernetes.Pods;

namespace Underpool.Kubernetes.Owners;

/// <summary>How a pod's controller becomes its <see cref="WorkloadOwner"/> (pure): an <c>apps/v1</c> StatefulSet is
/// static, a <c>apps/v1</c> ReplicaSet stands for the Deployment that owns it (one lookup, see
/// <see cref="OwnerResolver"/>), and anything else (Job, DaemonSet, a third-party StatefulSet of another apiVersion)
/// is a stateless owner.</summary>
internal static class OwnerRules
{
    public const string AppsV1 = "apps/v1";
    public const string StatefulSet = "StatefulSet";
    public const string ReplicaSet = "ReplicaSet";
    public const string Deployment = "Deployment";

    // Groups whose kinds are written plainly: Kubernetes' own workloads.
    private static readonly HashSet<string> BuiltInGroups = new(StringComparer.Ordinal) { "", "apps", "batch" };

    /// <summary>True when the owner is only known after reading the ReplicaSet.</summary>
    public static bool NeedsReplicaSet(OwnerReference? controller) => controller is { ApiVersion: AppsV1, Kind: ReplicaSet };

    /// <summary>The owner of a pod whose controller is not a ReplicaSet (or null without a controller).</summary>
    public static WorkloadOwner? Direct(OwnerReference? controller) => controller switch
    {
        null => null,
        { ApiVersion: AppsV1, Kind: StatefulSet } => new WorkloadOwner(StatefulSet, controller.Name, IsStatefulSet: true, AppKey: null),
        _ => new WorkloadOwner(DisplayKind(controller), controller.Name, IsStatefulSet: false, AppKey: null),
    };

    /// <summary>The owner of a pod of ReplicaSet <paramref name="replicaSet"/>, whose own controller is
    /// <paramref name="replicaSetController"/> (null: a bare ReplicaSet, or one already gone).</summary>
    public static WorkloadOwner FromReplicaSet(string @namespace, OwnerReference replicaSet, OwnerReference? replicaSetController)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        return replicaSetController is { ApiVersion: AppsV1, Kind: Deployment }
            ? new WorkloadOwner(Deployment, replicaSetController.Name, IsStatefulSet: false, AppKey: KubernetesNames.Key(@namespace, replicaSetController.Name))
            : new WorkloadOwner(ReplicaSet, replicaSet.Name, IsStatefulSet: false, AppKey: null);
    }

    /// <summary>"Kind" for built-in groups, "Kind.group" for the rest.</summary>
    public static string DisplayKind(OwnerReference owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        int slash = owner.ApiVersion.IndexOf('/', StringComparison.Ordinal);
        string group = slash < 0 ? "" : owner.ApiVersion[..slash];
        return BuiltInGroups.Contains(group) ? owner.Kind : $"{owner.Kind}.{group}";
    }
}
