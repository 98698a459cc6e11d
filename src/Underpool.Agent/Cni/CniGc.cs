using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Failures;
using Underpool.Agent.Nodes;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Cni;

/// <summary>CNI GC: releases this node's allocations of the network that the runtime no longer lists.</summary>
internal sealed partial class CniGc(IIpamStore store, AttachmentRelease release, LocalNode node, ILogger<CniGc> log)
{
    public async Task<Outcome<CniGcResponse>> RunAsync(CniGcRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AttachmentMapping.ValidateNetwork(request.Network) is { } invalid)
        {
            return Failure.InvalidRequest(invalid);
        }

        var valid = (request.ValidAttachments ?? [])
            .Select(a => (a.ContainerId, a.IfName))
            .ToHashSet();
        IReadOnlyList<AllocationRecord> mine = await store
            .ListAllocationsAsync(new AllocationFilter(Node: node.Name, Network: request.Network), cancellationToken)
            .ConfigureAwait(false);
        var released = new List<AllocationView>();
        // Static endpoints are keyed by name, not container, and keep their addresses until released explicitly; an
        // attachment imported under its pod is never among the runtime's (container) keys, and its pod's DEL releases it.
        foreach (AttachmentKey stale in mine.Where(r => r.Kind == AllocationKind.Workload && !Import.ImportKeys.IsPodKeyed(r.Attachment))
                     .Select(r => r.Attachment).Distinct()
                     .Where(k => !valid.Contains((k.ContainerId, k.IfName))))
        {
            // The spec asks GC to continue past errors: one failing release must not keep the others leaked.
            try
            {
                IReadOnlyList<AllocationRecord> gone = await release.ReleaseAsync(stale, "gc", cancellationToken).ConfigureAwait(false);
                released.AddRange(gone.Select(AttachmentMapping.ToView));
                LogReleased(stale, string.Join(", ", gone.Select(r => r.Address)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogGcFailed(stale, e.Message);
            }
        }

        return new CniGcResponse { Released = released };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "released {Addresses} of {Attachment} (gc)")]
    private partial void LogReleased(AttachmentKey attachment, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GC could not release {Attachment}: {Error}; continuing with the others")]
    private partial void LogGcFailed(AttachmentKey attachment, string error);
}
