namespace Underpool.Kubernetes.Lifecycle;

/// <summary>Why something is released; <see cref="ReleaseReasons.Label"/> is its <c>underpool_releases_total</c> reason.</summary>
internal enum ReleaseReason
{
    PodDeleted,
    PodFinished,
    PodReplaced,
    NodeNotReady,
    StatefulSetScaledDown,
    StatefulSetDeleted,
    AppDeleted,
}

internal static class ReleaseReasons
{
    public static string Label(this ReleaseReason reason) => reason switch
    {
        ReleaseReason.PodDeleted => "pod_deleted",
        ReleaseReason.PodFinished => "pod_finished",
        ReleaseReason.PodReplaced => "pod_replaced",
        ReleaseReason.NodeNotReady => "node_not_ready",
        ReleaseReason.StatefulSetScaledDown => "statefulset_scaled_down",
        ReleaseReason.StatefulSetDeleted => "statefulset_deleted",
        ReleaseReason.AppDeleted => "app_deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

/// <summary>One thing the elected agent should do, and why (the why is logged and counted).</summary>
internal abstract record LifecycleAction(string Why);

/// <summary>Release the non-static addresses held for pod uid <paramref name="PodUid"/> (never by name alone).</summary>
internal sealed record ReleasePod(string Namespace, string PodName, string PodUid, ReleaseReason Reason, string Why) : LifecycleAction(Why);

/// <summary>Release static endpoint <paramref name="Namespace"/>/<paramref name="PodName"/> (what
/// <c>underpoolctl endpoint release</c> does).</summary>
internal sealed record ReleaseStatic(string Namespace, string PodName, ReleaseReason Reason, string Why) : LifecycleAction(Why);

/// <summary>Create the application pool of <paramref name="App"/>, or resize it, to <paramref name="Size"/> addresses
/// carved from <paramref name="Subnet"/>.</summary>
internal sealed record EnsureAppPool(string App, string Subnet, int Size, bool Keep, string Why) : LifecycleAction(Why);

/// <summary>Delete the application pools of <paramref name="App"/> (those not marked Keep).</summary>
internal sealed record ReclaimAppPools(string App, string Why) : LifecycleAction(Why)
{
    public static ReleaseReason Reason => ReleaseReason.AppDeleted;
}
