using Underpool.Api.Contracts;
using Underpool.Kubernetes.Owners;

namespace Underpool.Kubernetes.Annotations;

/// <summary>Which source chose an ADD's pools, highest first (Spiderpool's order, which its users know).</summary>
internal enum PoolSource
{
    PodByInterface,
    Pod,
    Namespace,
    Netconf,
    Default,
}

/// <summary>What Kubernetes says about one ADD (one pod interface): an ADD's inputs that the agent's
/// <c>AddIntent</c> takes one to one — <see cref="IsStatic"/> is <c>AddIntent.IsStatic</c>, <see cref="Owner"/> its
/// <c>Owner</c>, <see cref="App"/> its <c>App</c>, <see cref="Pools"/> the request's <c>Pools</c> and
/// <see cref="RequestedIps"/> its <c>RequestedIps</c>.</summary>
internal sealed record PodIntent(
    PoolChoice Pools,
    PoolSource PoolSource,
    IReadOnlyList<string> RequestedIps,
    bool IsStatic,
    (string Kind, string Name)? Owner,
    string? App);

/// <summary>Everything <see cref="PodIntentResolver"/> decides from, gathered by the agent for one ADD.</summary>
internal sealed record PodIntentRequest
{
    public required string PodNamespace { get; init; }

    public required string PodName { get; init; }

    /// <summary>The interface of this ADD (CNI_IFNAME): by-interface annotations are looked up by it.</summary>
    public required string IfName { get; init; }

    public PodAnnotations Annotations { get; init; } = PodAnnotations.Empty;

    /// <summary>The pod's namespace's <c>underpool.io/</c> annotations (default pools); empty without API access.</summary>
    public IReadOnlyDictionary<string, string> NamespaceAnnotations { get; init; } = Pods.PodInfo.Empty;

    /// <summary>The netconf's <c>ipam.pools</c> (may be empty: then each family's default pools).</summary>
    public PoolChoice NetconfPools { get; init; } = new();

    /// <summary>The netconf's <c>ipam.static</c>.</summary>
    public bool NetconfStatic { get; init; }

    /// <summary>Addresses the runtime itself asked for (runtimeConfig.ips, CNI_ARGS IP=): they win over annotations,
    /// being given for this very attachment.</summary>
    public IReadOnlyList<string> RuntimeRequestedIps { get; init; } = [];

    /// <summary>The pod's workload owner (<see cref="OwnerResolver"/>); null without one or without API access.</summary>
    public WorkloadOwner? Owner { get; init; }

    public string Pod => KubernetesNames.Key(PodNamespace, PodName);
}
