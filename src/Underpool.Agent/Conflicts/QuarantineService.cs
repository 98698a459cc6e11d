using Microsoft.Extensions.Logging;
using Underpool.Agent.Ipam;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Probe;
using Underpool.Store;

namespace Underpool.Agent.Conflicts;

/// <summary>Quarantined addresses for the API, and freeing those that have gone quiet (on request or periodically).</summary>
public sealed partial class QuarantineService(
    IIpamStore store, PoolRegistry registry, ConflictScreen screen, AgentOptions options, ILogger<QuarantineService> log)
{
    public async Task<Outcome<ConflictList>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<QuarantineRecord> records = await store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false);
        return new ConflictList { Conflicts = records.Select(ToView).ToList() };
    }

    /// <summary>Probes a quarantined address again on the interface it was found on and frees it when nobody answers.</summary>
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

        var uplink = new Uplink(record.Interface, options.UplinkNetns);
        if (await screen.ProbeOneAsync(uplink, address, cancellationToken).ConfigureAwait(false) is not { } answer)
        {
            return Failure.Conflict(
                "probe-failed",
                $"could not probe {address} on {uplink} from node {options.Node} (see the agent's log); it was found on node "
                + $"{record.Node}: run the command against that node's agent");
        }

        if (answer.AnsweredBy is { } mac)
        {
            return Failure.Conflict(
                "still-in-conflict",
                $"{address} is still answered for by {mac} on {uplink}; it stays in quarantine until that host lets it go");
        }

        await store.RemoveQuarantineAsync(address, cancellationToken).ConfigureAwait(false);
        await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        LogFreed(address, "cleared on request");
        return ToView(record);
    }

    /// <summary>Probes again every quarantined address this node found and frees the quiet ones; returns how many.</summary>
    public async Task<int> RecheckAsync(CancellationToken cancellationToken)
    {
        int freed = 0;
        foreach (QuarantineRecord record in (await store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false))
                     .Where(r => r.Node == options.Node))
        {
            var uplink = new Uplink(record.Interface, options.UplinkNetns);
            if (await screen.ProbeOneAsync(uplink, record.Address, cancellationToken).ConfigureAwait(false) is { InUse: false }
                && await store.RemoveQuarantineAsync(record.Address, cancellationToken).ConfigureAwait(false))
            {
                freed++;
                LogFreed(record.Address, "quiet on re-probe");
            }
        }

        if (freed > 0)
        {
            await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }

        return freed;
    }

    private static ConflictView ToView(QuarantineRecord record) => new()
    {
        Address = record.Address.ToString(),
        Pool = record.Pool,
        Mac = record.Mac,
        Node = record.Node,
        Interface = record.Interface,
        DetectedAt = record.DetectedAt,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "freed {Address} from quarantine: {Why}")]
    private partial void LogFreed(IpAddress address, string why);
}
