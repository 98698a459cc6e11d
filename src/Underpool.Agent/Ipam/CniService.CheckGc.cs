using Microsoft.Extensions.Logging;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Probe.Wire;
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

        if (held.Count > 0 && MacAddress.TryParse(request.Mac?.ToLowerInvariant(), out MacAddress reported))
        {
            await RecordMacAsync(held, reported.ToString(), cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;
        return new CniCheckResponse { Ips = held.Select(r => AttachmentMapping.ToAssigned(r, pools.GetValueOrDefault(r.Pool))).ToList() };
    }

    /// <summary>Records the interface's MAC on the attachment's records (once: later CHECKs find it there), so a probe this
    /// pod answers is known as ours, and frees what was quarantined because it answered before its MAC was known.</summary>
    private async Task RecordMacAsync(IReadOnlyList<AllocationRecord> held, string mac, CancellationToken cancellationToken)
    {
        // Lost to a concurrent change of the attachment (a DEL, a static takeover): the next CHECK records it.
        if (held.All(r => r.Mac == mac)
            || !await _store.ReplaceAttachmentAsync(held, held.Select(r => r with { Mac = mac }).ToList(), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        bool freed = false;
        foreach (QuarantineRecord answered in (await _store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false)).Where(q => q.Mac == mac))
        {
            if (await _store.RemoveQuarantineAsync(answered.Address, cancellationToken).ConfigureAwait(false))
            {
                freed = true;
                LogFreedOurs(answered.Address.ToString(), mac, EndpointIdentity.Of(held[0]));
            }
        }

        if (freed)
        {
            await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>CNI GC: releases this node's allocations of the network that the runtime no longer lists.</summary>
    public async Task<Outcome<CniGcResponse>> GcAsync(CniGcRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AttachmentMapping.ValidateNetwork(request.Network) is { } invalid)
        {
            return Failure.InvalidRequest(invalid);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "freed {Address} from quarantine: {Mac}, which answered for it, is the interface of our pod {Pod}")]
    private partial void LogFreedOurs(string address, string mac, string pod);
}
