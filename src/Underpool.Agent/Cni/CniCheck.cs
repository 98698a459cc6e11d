using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Endpoints;
using Underpool.Agent.Failures;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Probe.Wire;
using Underpool.Store;

namespace Underpool.Agent.Cni;

/// <summary>CNI CHECK: what an attachment holds now (empty when nothing), which the plugin compares with prevResult;
/// the interface's MAC it reports is recorded on the way.</summary>
internal sealed partial class CniCheck(IIpamStore store, PoolRegistry registry, StaticEndpoints statics, ILogger<CniCheck> log)
{
    public async Task<Outcome<CniCheckResponse>> RunAsync(CniCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AttachmentMapping.Validate(request.Attachment) is { } invalid)
        {
            return Failure.InvalidRequest(invalid);
        }

        IReadOnlyList<AllocationRecord> held = await store
            .GetAttachmentAsync(AttachmentMapping.ToKey(request.Attachment), cancellationToken)
            .ConfigureAwait(false);
        if (held.Count == 0)
        {
            held = await statics.HeldByAsync(request.Attachment, cancellationToken).ConfigureAwait(false);
        }

        if (held.Count > 0 && MacAddress.TryParse(request.Mac?.ToLowerInvariant(), out MacAddress reported))
        {
            await RecordMacAsync(held, reported.ToString(), cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyDictionary<string, PoolSpec> pools = registry.Pools;
        return new CniCheckResponse { Ips = held.Select(r => AttachmentMapping.ToAssigned(r, pools.GetValueOrDefault(r.Pool))).ToList() };
    }

    /// <summary>Records the interface's MAC on the attachment's records (once: later CHECKs find it there), so a probe this
    /// pod answers is known as ours, and frees what was quarantined because it answered before its MAC was known.</summary>
    private async Task RecordMacAsync(IReadOnlyList<AllocationRecord> held, string mac, CancellationToken cancellationToken)
    {
        // Lost to a concurrent change of the attachment (a DEL, a static takeover): the next CHECK records it.
        if (held.All(r => r.Mac == mac)
            || !await store.ReplaceAttachmentAsync(held, held.Select(r => r with { Mac = mac }).ToList(), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        bool freed = false;
        foreach (QuarantineRecord answered in (await store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false)).Where(q => q.Mac == mac))
        {
            if (await store.RemoveQuarantineAsync(answered.Address, cancellationToken).ConfigureAwait(false))
            {
                freed = true;
                LogFreedOurs(answered.Address.ToString(), mac, EndpointIdentity.Of(held[0]));
            }
        }

        if (freed)
        {
            await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "freed {Address} from quarantine: {Mac}, which answered for it, is the interface of our pod {Pod}")]
    private partial void LogFreedOurs(string address, string mac, string pod);
}
