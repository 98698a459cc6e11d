using Underpool.Kubernetes.Lifecycle;
using Underpool.Kubernetes.Nodes;
using Underpool.Kubernetes.Pods;

namespace Underpool.Kubernetes.Tests.Lifecycle;

/// <summary>Snapshots as the lifecycle tests build them.</summary>
internal static class Snapshots
{
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static readonly LifecycleSettings Settings = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));

    public static HeldEndpoint Held(string pod, string? uid, bool isStatic = false, string? owner = null, bool running = true, TimeSpan? age = null) =>
        new("shop", pod, uid, isStatic, owner is null ? null : "StatefulSet", owner, running, Now - (age ?? TimeSpan.FromMinutes(5)));

    public static PodInfo Pod(string name, string uid, PodPhase phase = PodPhase.Running, string node = "node1", DateTimeOffset? deletion = null) => new()
    {
        Namespace = "shop",
        Name = name,
        Uid = uid,
        NodeName = node,
        Phase = phase,
        DeletionTimestamp = deletion,
    };

    public static LifecycleSnapshot Of(IEnumerable<HeldEndpoint> held, IEnumerable<PodInfo>? pods = null, IEnumerable<NodeInfo>? nodes = null) => new()
    {
        Now = Now,
        Held = held.ToList(),
        Pods = (pods ?? []).ToDictionary(p => p.Key),
        Nodes = (nodes ?? [new NodeInfo("node1", new Dictionary<string, string>(), true)]).ToDictionary(n => n.Name),
    };
}
