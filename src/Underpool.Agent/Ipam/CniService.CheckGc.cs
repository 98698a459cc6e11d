using Microsoft.Extensions.Logging;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Ipam;

// CHECK and CNI GC: what an attachment holds, and releasing what the runtime no longer lists.
public sealed partial class CniService
{
    /// <summary>What the attachment holds now (empty when nothing): the plugin compares it with prevResult.</summary>
    public async Task<Outcome<CniCheckResponse>> CheckAsync(CniCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AttachmentMapping.Validate(request.Attachment) is { } invalid)
        {
            return Failure.InvalidRequest(invalid);
        }

        IReadOnlyList<AllocationRecord> held = await _store
            .GetAttachmentAsync(AttachmentMapping.ToKey(request.Attachment), cancellationToken)
            .ConfigureAwait(false);
        if (held.Count == 0)
        {
            held = await StaticHeldByAsync(request.Attachment, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;
        return new CniCheckResponse { Ips = held.Select(r => AttachmentMapping.ToAssigned(r, pools.GetValueOrDefault(r.Pool))).ToList() };
    }

    /// <summary>CNI GC: releases this node's allocations of the network that the runtime no longer lists.</summary>
    public async Task<Outcome<CniGcResponse>> GcAsync(CniGcRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Network))
        {
            return Failure.InvalidRequest("network (the CNI network name) is empty");
        }

        var valid = (request.ValidAttachments ?? [])
            .Select(a => (a.ContainerId, a.IfName))
            .ToHashSet();
        IReadOnlyList<AllocationRecord> mine = await _store
            .ListAllocationsAsync(new AllocationFilter(Node: _node.Name, Network: request.Network), cancellationToken)
            .ConfigureAwait(false);
        var released = new List<AllocationView>();
        // Static endpoints are keyed by name, not container, and keep their addresses until released explicitly; an
        // attachment imported under its pod is never among the runtime's (container) keys, and its pod's DEL releases it.
        foreach (AttachmentKey stale in mine.Where(r => !r.Static && !Import.ImportKeys.IsPodKeyed(r.Attachment)).Select(r => r.Attachment).Distinct()
                     .Where(k => !valid.Contains((k.ContainerId, k.IfName))))
        {
            // The spec asks GC to continue past errors: one failing release must not keep the others leaked.
            try
            {
                IReadOnlyList<AllocationRecord> gone = await _release.ReleaseAsync(stale, "gc", cancellationToken).ConfigureAwait(false);
                released.AddRange(gone.Select(AttachmentMapping.ToView));

                LogReleased(stale, string.Join(", ", gone.Select(r => r.Address)), "gc");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogGcFailed(stale, e.Message);
            }
        }

        return new CniGcResponse { Released = released };
    }
}
