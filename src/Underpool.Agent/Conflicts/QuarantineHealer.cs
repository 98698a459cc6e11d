using Microsoft.Extensions.Logging;
using Underpool.Agent.Pools;
using Underpool.Store;

namespace Underpool.Agent.Conflicts;

/// <summary>Frees quarantined addresses that were never a foreign host's: the store shows them allocated (one of our
/// pods answered a stale pick), or the MAC that answered is one of our nodes' uplinks or pods' interfaces. Agents before
/// the answer was settled against the store quarantined such addresses, and an owner may become known only later
/// (a node records its uplink MAC on its first probe, a pod's MAC arrives with CHECK).</summary>
public sealed partial class QuarantineHealer(IIpamStore store, PoolRegistry registry, MacDirectory macs, ILogger<QuarantineHealer> log)
{
    /// <summary>Frees every quarantined address that is ours; returns how many.</summary>
    public async Task<int> FreeOursAsync(CancellationToken cancellationToken)
    {
        int freed = 0;
        foreach (QuarantineRecord record in await store.ListQuarantineAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await WhyOursAsync(record, cancellationToken).ConfigureAwait(false) is { } why
                && await store.RemoveQuarantineAsync(record.Address, cancellationToken).ConfigureAwait(false))
            {
                freed++;
                LogFreed(record.Address.ToString(), record.Mac, why);
            }
        }

        if (freed > 0)
        {
            await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }

        return freed;
    }

    /// <summary>Why <paramref name="record"/>'s address is ours ("allocated to pod shop/web-0 on node n1", "the MAC is
    /// node n2's uplink"), or null when nothing says so.</summary>
    public async Task<string?> WhyOursAsync(QuarantineRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (await store.GetAllocationAsync(record.Pool, record.Address, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            return $"it is allocated to {MacDirectory.PodOwner(holder)} on node {holder.Node}";
        }

        return await macs.IdentifyAsync(record.Mac, cancellationToken).ConfigureAwait(false) is { } owner
            ? $"{record.Mac} is {(owner.Kind == MacOwnerKind.Node ? $"the uplink of node {owner.Name}" : $"the interface of pod {owner.Name}")}"
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "freed {Address} from quarantine: its answer ({Mac}) was ours, not a foreign host's: {Why}")]
    private partial void LogFreed(string address, string mac, string why);
}
