using Microsoft.Extensions.Logging;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Ipam;

// Static endpoints: the addresses stay with the endpoint's name across DEL; the next container of that name takes
// them over, on any node the pools allow.
public sealed partial class CniService
{
    private const int MaxTakeoverAttempts = 8;

    /// <summary>Hands a static endpoint the addresses it kept, recording the new container and node; null when they
    /// were released meanwhile (the caller then allocates afresh).</summary>
    private async Task<Outcome<CniAddResponse>?> ResumeStaticAsync(
        AddIntent want, IReadOnlyList<AllocationRecord> kept, CancellationToken cancellationToken)
    {
        AttachmentIdentity who = want.Request.Attachment;
        for (int attempt = 0; attempt < MaxTakeoverAttempts && kept.Count > 0; attempt++)
        {
            if (CheckKeptUsable(want, kept) is { } unusable)
            {
                return unusable;
            }

            if (kept.All(r => r.RuntimeContainerId == who.ContainerId && r.Node == _node.Name))
            {
                LogRepeatedAdd(want.Key, string.Join(", ", kept.Select(e => e.Address)));
                return ToResponse(kept);
            }

            List<AllocationRecord> takeover = kept.Select(r => r with
            {
                RuntimeContainerId = who.ContainerId,
                Node = _node.Name,
                NetNs = who.NetNs,
                PodUid = who.PodUid,
                OwnerKind = want.Owner?.Kind ?? r.OwnerKind,
                OwnerName = want.Owner?.Name ?? r.OwnerName,

                // The new container's interface has a MAC of its own, reported by its first CHECK.
                Mac = null,
            }).ToList();
            if (await _store.ReplaceAttachmentAsync(kept, takeover, cancellationToken).ConfigureAwait(false))
            {
                LogStaticResumed(want.EndpointName!, string.Join(", ", kept.Select(r => r.Address)), kept[0].RuntimeContainerId ?? "none", kept[0].Node);
                return ToResponse(takeover);
            }

            // Another ADD or DEL of this endpoint changed it first: look again.
            kept = await _store.GetAttachmentAsync(want.Key, cancellationToken).ConfigureAwait(false);
        }

        if (kept.Count == 0)
        {
            return null;
        }

        return new Failure("contention", 503, $"static endpoint {want.EndpointName} kept changing while taking it over; try again", 11);
    }

    /// <summary>A kept address the endpoint may not use here: never silently swapped for another one.</summary>
    private Failure? CheckKeptUsable(AddIntent want, IReadOnlyList<AllocationRecord> kept)
    {
        foreach (Core.Net.IpAddress requested in want.Requested.Values)
        {
            if (!kept.Any(r => r.Address == requested))
            {
                return new Failure(
                    "static-address-kept",
                    409,
                    $"static endpoint {want.EndpointName} keeps {string.Join(", ", kept.Select(r => r.Address))} but asked for {requested}; "
                    + $"release it first with 'underpoolctl endpoint release {want.EndpointName}'",
                    RequestedUnavailableCode);
            }
        }

        IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;
        foreach (AllocationRecord record in kept)
        {
            if (!pools.TryGetValue(record.Pool, out PoolSpec? pool))
            {
                return new Failure(
                    "static-address-unusable",
                    409,
                    $"static endpoint {want.EndpointName} keeps {record.Address} in pool '{record.Pool}', which no longer exists",
                    RequestedUnavailableCode);
            }

            if (!pool.Affinity.Allows(_node))
            {
                return new Failure(
                    "static-address-unusable",
                    409,
                    $"static endpoint {want.EndpointName} keeps {record.Address} in pool '{pool.Name}', which allows "
                    + $"{pool.Affinity.Describe()} only, not node {_node.Name}; run it on a node the pool allows, or release "
                    + $"the address with 'underpoolctl endpoint release {want.EndpointName}'",
                    RequestedUnavailableCode);
            }
        }

        return null;
    }

    /// <summary>DEL of a static endpoint's container: the addresses stay, marked not running (only when this container
    /// is still the one attached: a late DEL of an old container must not stop its successor).</summary>
    private async Task StopStaticAsync(AttachmentIdentity who, CancellationToken cancellationToken)
    {
        if (EndpointIdentity.Name(who.PodNamespace, who.PodName) is not { } endpoint)
        {
            return;
        }

        AttachmentKey key = EndpointIdentity.StaticKey(who.Network, endpoint, who.IfName);
        for (int attempt = 0; attempt < MaxTakeoverAttempts; attempt++)
        {
            IReadOnlyList<AllocationRecord> kept = await _store.GetAttachmentAsync(key, cancellationToken).ConfigureAwait(false);
            if (kept.Count == 0 || kept.Any(r => r.RuntimeContainerId != who.ContainerId))
            {
                return;
            }

            List<AllocationRecord> stopped = EndpointIdentity.Stopped(kept);
            if (await _store.ReplaceAttachmentAsync(kept, stopped, cancellationToken).ConfigureAwait(false))
            {
                LogStaticStopped(endpoint, string.Join(", ", kept.Select(r => r.Address)));
                return;
            }
        }
    }

    /// <summary>The records a container holds through a static endpoint, for CHECK (empty when none).</summary>
    private async Task<IReadOnlyList<AllocationRecord>> StaticHeldByAsync(AttachmentIdentity who, CancellationToken cancellationToken)
    {
        if (EndpointIdentity.Name(who.PodNamespace, who.PodName) is not { } endpoint)
        {
            return [];
        }

        IReadOnlyList<AllocationRecord> kept = await _store
            .GetAttachmentAsync(EndpointIdentity.StaticKey(who.Network, endpoint, who.IfName), cancellationToken)
            .ConfigureAwait(false);
        return kept.All(r => r.RuntimeContainerId == who.ContainerId) ? kept : [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "static endpoint {Endpoint} resumed with {Addresses} (was container {Previous} on node {PreviousNode})")]
    private partial void LogStaticResumed(string endpoint, string addresses, string previous, string previousNode);

    [LoggerMessage(Level = LogLevel.Information, Message = "static endpoint {Endpoint} stopped; it keeps {Addresses}")]
    private partial void LogStaticStopped(string endpoint, string addresses);
}
