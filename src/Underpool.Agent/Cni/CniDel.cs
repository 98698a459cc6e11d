using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Endpoints;
using Underpool.Agent.Failures;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Cni;

/// <summary>CNI DEL: releases what the attachment holds; an unknown attachment is not an error (DEL is idempotent). A
/// static endpoint's container only stops: its addresses stay with the endpoint's name.</summary>
internal sealed partial class CniDel(AttachmentRelease release, PoolRegistry registry, StaticEndpoints statics, ILogger<CniDel> log)
{
    public async Task<Outcome<CniDelResponse>> RunOnceAsync(CniDelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AttachmentMapping.Validate(request.Attachment, checkNetNs: false) is { } invalid)
        {
            return Failure.InvalidRequest(invalid);
        }

        AttachmentKey key = AttachmentMapping.ToKey(request.Attachment);
        IReadOnlyList<AllocationRecord> released = await release.ReleaseAsync(key, "del", cancellationToken).ConfigureAwait(false);
        if (released.Count == 0 && Import.ImportKeys.PodKeyOf(request.Attachment) is { } imported)
        {
            // Imported from an IPAM that kept no container id (Spiderpool): filed under the pod, released by its DEL.
            key = imported;
            released = await release.ReleaseAsync(key, "del", cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyDictionary<string, PoolSpec> pools = registry.Pools;

        if (released.Count > 0)
        {
            LogReleased(key, string.Join(", ", released.Select(r => r.Address)));
        }
        else
        {
            await statics.StopAsync(request.Attachment, cancellationToken).ConfigureAwait(false);
        }

        return new CniDelResponse
        {
            Released = released.Select(r => AttachmentMapping.ToAssigned(r, pools.GetValueOrDefault(r.Pool))).ToList(),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "released {Addresses} of {Attachment} (del)")]
    private partial void LogReleased(AttachmentKey attachment, string addresses);
}
