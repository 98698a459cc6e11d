using Microsoft.Extensions.Logging;
using Underpool.Agent.Ipam;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Probe;
using Underpool.Store;

namespace Underpool.Agent.Conflicts;

/// <summary>Quarantined addresses for the API, and freeing those that have gone quiet or turn out to be ours (on
/// request or periodically).</summary>
public sealed partial class QuarantineService(
    IIpamStore store,
    PoolRegistry registry,
    ProbeRunner probes,
    QuarantineHealer healer,
    MacDirectory macs,
    AgentOptions options,
    ILogger<QuarantineService> log)
{
    /// <summary>Every quarantined address, with whether its answering MAC is one of our nodes, one of our pods, or foreign.</summary>
    public async Task<Outcome<ConflictList>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<QuarantineRecord> records = await store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false);
        var views = new List<ConflictView>(records.Count);
        foreach (QuarantineRecord record in records)
        {
            views.Add(ToView(record, await macs.IdentifyAsync(record.Mac, cancellationToken).ConfigureAwait(false)));
        }

        return new ConflictList { Conflicts = views };
    }

    /// <summary>Frees a quarantined address that is ours (allocated, or answered for by our node or pod); otherwise
    /// probes it again on the interface it was found on and frees it when no foreign host answers.</summary>
    public async Task<Outcome<ConflictView>> ClearAsync(ConflictClear request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IpAddress.TryParse(request.Address, out IpAddress address))
        {
            return Failure.InvalidRequest($"'{request.Address}' is not an IPv4 or IPv6 address");
        }

        IReadOnlyList<QuarantineRecord> records = await store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false);
        if (records.FirstOrDefault(r => r.Address == address) is not { } record)
        {
            return Failure.NotFound("not-quarantined", $"{address} is not in quarantine; 'underpoolctl conflict list' shows what is");
        }

        string? ours = await healer.WhyOursAsync(record, cancellationToken).ConfigureAwait(false);
        if (ours is null)
        {
            var uplink = new Uplink(record.Interface, options.UplinkNetns);
            if (await probes.ProbeOneAsync(uplink, address, cancellationToken).ConfigureAwait(false) is not { } answer)
            {
                return Failure.Conflict(
                    "probe-failed",
                    $"could not probe {address} on {uplink} from node {options.Node} (see the agent's log); it was found on node "
                    + $"{record.Node}: run the command against that node's agent");
            }

            if (answer.IsHeld && await ForeignAsync(record with { Mac = answer.AnsweredBy!.Value.ToString() }, cancellationToken).ConfigureAwait(false))
            {
                return Failure.Conflict(
                    "still-in-conflict",
                    $"{address} is still answered for by {answer.AnsweredBy} on {uplink}; it stays in quarantine until that host lets it go");
            }
        }

        await store.RemoveQuarantineAsync(address, cancellationToken).ConfigureAwait(false);
        await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        LogFreed(address, ours ?? "cleared on request");
        return ToView(record, await macs.IdentifyAsync(record.Mac, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Frees every quarantined address that is ours, then probes again the others this node found and frees the
    /// quiet ones and those whose answer now comes from ours; returns how many were freed.</summary>
    public async Task<int> RecheckAsync(CancellationToken cancellationToken)
    {
        int freed = await healer.FreeOursAsync(cancellationToken).ConfigureAwait(false);
        int quiet = 0;
        foreach (QuarantineRecord record in (await store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false))
                     .Where(r => r.Node == options.Node))
        {
            var uplink = new Uplink(record.Interface, options.UplinkNetns);
            if (await probes.ProbeOneAsync(uplink, record.Address, cancellationToken).ConfigureAwait(false) is not { } answer
                || (answer.IsHeld && await ForeignAsync(record with { Mac = answer.AnsweredBy!.Value.ToString() }, cancellationToken).ConfigureAwait(false)))
            {
                continue;
            }

            if (await store.RemoveQuarantineAsync(record.Address, cancellationToken).ConfigureAwait(false))
            {
                quiet++;
                LogFreed(record.Address, answer.IsHeld ? $"now answered by {answer.AnsweredBy}, one of ours" : "quiet on re-probe");
            }
        }

        if (quiet > 0)
        {
            await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }

        return freed + quiet;
    }

    /// <summary>Whether the answer <paramref name="record"/> now carries is a foreign host's.</summary>
    private async Task<bool> ForeignAsync(QuarantineRecord record, CancellationToken cancellationToken) =>
        await healer.WhyOursAsync(record, cancellationToken).ConfigureAwait(false) is null;

    private static ConflictView ToView(QuarantineRecord record, MacOwner? owner) => new()
    {
        Address = record.Address.ToString(),
        Pool = record.Pool,
        Mac = record.Mac,
        AnsweredBy = owner is null ? ConflictView.Foreign : owner.Kind == MacOwnerKind.Node ? ConflictView.OurNode : ConflictView.OurPod,
        Owner = owner?.Name,
        Node = record.Node,
        Interface = record.Interface,
        DetectedAt = record.DetectedAt,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "freed {Address} from quarantine: {Why}")]
    private partial void LogFreed(IpAddress address, string why);
}
