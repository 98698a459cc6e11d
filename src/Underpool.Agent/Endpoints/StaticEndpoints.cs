using Microsoft.Extensions.Logging;
using Underpool.Agent.Add;
using Underpool.Agent.Attachments;
using Underpool.Agent.Failures;
using Underpool.Agent.Nodes;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Endpoints;

/// <summary>Static endpoints: the addresses stay with the endpoint's name across DEL; the next container of that name
/// takes them over, on any node the pools allow.</summary>
internal sealed partial class StaticEndpoints(
    IIpamStore store, PoolRegistry registry, LocalNode node, AddAnswer answer, ILogger<StaticEndpoints> log)
{
    private const int MaxTakeoverAttempts = 8;

    /// <summary>Hands a static endpoint the addresses it kept, recording the new container and node; null when they
    /// were released meanwhile (the caller then allocates afresh).</summary>
    public async Task<Outcome<CniAddResponse>?> ResumeAsync(
        AddIntent want, IReadOnlyList<AllocationRecord> kept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(want);
        AttachmentIdentity who = want.Request.Attachment;
        for (int attempt = 0; attempt < MaxTakeoverAttempts && kept.Count > 0; attempt++)
        {
            if (CheckKeptUsable(want, kept) is { } unusable)
            {
                return unusable;
            }

            if (kept.All(r => r.RuntimeContainerId == who.ContainerId && r.Node == node.Name))
            {
                LogRepeatedAdd(want.Key, string.Join(", ", kept.Select(e => e.Address)));
                return answer.From(kept);
            }

            List<AllocationRecord> takeover = TakenOver(want, kept);
            if (await store.ReplaceAttachmentAsync(kept, takeover, cancellationToken).ConfigureAwait(false))
            {
                LogStaticResumed(want.EndpointName!, string.Join(", ", kept.Select(r => r.Address)), kept[0].RuntimeContainerId ?? "none", kept[0].Node);
                return answer.From(takeover);
            }

            // Another ADD or DEL of this endpoint changed it first: look again.
            kept = await store.GetAttachmentAsync(want.Key, cancellationToken).ConfigureAwait(false);
        }

        if (kept.Count == 0)
        {
            return null;
        }

        return new Failure(ProblemKinds.Contention, $"static endpoint {want.EndpointName} kept changing while taking it over; try again");
    }

    /// <summary>DEL of a static endpoint's container: the addresses stay, marked not running (only when this container
    /// is still the one attached: a late DEL of an old container must not stop its successor).</summary>
    public async Task StopAsync(AttachmentIdentity who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        if (EndpointIdentity.Name(who.PodNamespace, who.PodName) is not { } endpoint)
        {
            return;
        }

        AttachmentKey key = EndpointIdentity.StaticKey(who.Network, endpoint, who.IfName);
        for (int attempt = 0; attempt < MaxTakeoverAttempts; attempt++)
        {
            IReadOnlyList<AllocationRecord> kept = await store.GetAttachmentAsync(key, cancellationToken).ConfigureAwait(false);
            if (kept.Count == 0 || kept.Any(r => r.RuntimeContainerId != who.ContainerId))
            {
                return;
            }

            List<AllocationRecord> stopped = EndpointIdentity.Stopped(kept);
            if (await store.ReplaceAttachmentAsync(kept, stopped, cancellationToken).ConfigureAwait(false))
            {
                LogStaticStopped(endpoint, string.Join(", ", kept.Select(r => r.Address)));
                return;
            }
        }
    }

    /// <summary>The records a container holds through a static endpoint, for CHECK (empty when none).</summary>
    public async Task<IReadOnlyList<AllocationRecord>> HeldByAsync(AttachmentIdentity who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        if (EndpointIdentity.Name(who.PodNamespace, who.PodName) is not { } endpoint)
        {
            return [];
        }

        IReadOnlyList<AllocationRecord> kept = await store
            .GetAttachmentAsync(EndpointIdentity.StaticKey(who.Network, endpoint, who.IfName), cancellationToken)
            .ConfigureAwait(false);
        return kept.All(r => r.RuntimeContainerId == who.ContainerId) ? kept : [];
    }

    private List<AllocationRecord> TakenOver(AddIntent want, IReadOnlyList<AllocationRecord> kept)
    {
        AttachmentIdentity who = want.Request.Attachment;
        return kept.Select(r => r with
        {
            RuntimeContainerId = who.ContainerId,
            Node = node.Name,
            NetNs = who.NetNs,
            PodUid = who.PodUid,
            OwnerKind = want.Owner?.Kind ?? r.OwnerKind,
            OwnerName = want.Owner?.Name ?? r.OwnerName,

            // The new container's interface has a MAC of its own, reported by its first CHECK.
            Mac = null,
        }).ToList();
    }

    /// <summary>A kept address the endpoint may not use here: never silently swapped for another one.</summary>
    private Failure? CheckKeptUsable(AddIntent want, IReadOnlyList<AllocationRecord> kept)
    {
        foreach (IpAddress requested in want.Requested.Values)
        {
            if (!kept.Any(r => r.Address == requested))
            {
                return new Failure(
                    ProblemKinds.StaticAddressKept,
                    $"static endpoint {want.EndpointName} keeps {string.Join(", ", kept.Select(r => r.Address))} but asked for {requested}; "
                    + $"release it first with 'underpoolctl endpoint release {want.EndpointName}'");
            }
        }

        IReadOnlyDictionary<string, PoolSpec> pools = registry.Pools;
        foreach (AllocationRecord record in kept)
        {
            if (!pools.TryGetValue(record.Pool, out PoolSpec? pool))
            {
                return new Failure(
                    ProblemKinds.StaticAddressUnusable,
                    $"static endpoint {want.EndpointName} keeps {record.Address} in pool '{record.Pool}', which no longer exists");
            }

            if (!pool.Affinity.Allows(node.Identity))
            {
                return new Failure(
                    ProblemKinds.StaticAddressUnusable,
                    $"static endpoint {want.EndpointName} keeps {record.Address} in pool '{pool.Name}', which allows "
                    + $"{pool.Affinity.Describe()} only, not node {node.Name}; run it on a node the pool allows, or release "
                    + $"the address with 'underpoolctl endpoint release {want.EndpointName}'");
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ADD repeated for {Attachment}: returning its addresses {Addresses}")]
    private partial void LogRepeatedAdd(AttachmentKey attachment, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "static endpoint {Endpoint} resumed with {Addresses} (was container {Previous} on node {PreviousNode})")]
    private partial void LogStaticResumed(string endpoint, string addresses, string previous, string previousNode);

    [LoggerMessage(Level = LogLevel.Information, Message = "static endpoint {Endpoint} stopped; it keeps {Addresses}")]
    private partial void LogStaticStopped(string endpoint, string addresses);
}
