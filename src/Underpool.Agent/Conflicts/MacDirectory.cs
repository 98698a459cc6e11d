using Underpool.Agent.Ipam;
using Underpool.Agent.Nodes;
using Underpool.Store;

namespace Underpool.Agent.Conflicts;

/// <summary>Tells our own MACs from foreign ones: node uplinks (from the node records) and pod interfaces (from the
/// allocation records), read from the store and cached; a MAC not in the cache has the cache read again, at most once
/// per <see cref="MinRefresh"/>, before it is called foreign.</summary>
/// <remarks>A miss is rare (a foreign host, or an owner recorded since the last read), so a full read then costs little;
/// the rate limit keeps a host that answers for many addresses from turning every probe into store reads.</remarks>
public sealed class MacDirectory(IIpamStore store, LocalUplinks local, AgentOptions options, TimeProvider clock) : IDisposable
{
    /// <summary>The least time between two reads of the store for a MAC not seen before.</summary>
    public static readonly TimeSpan MinRefresh = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);

    // Guards replacing _known (a copy-on-write map, read without the lock).
    private readonly Lock _swap = new();
    private Dictionary<string, MacOwner> _known = new(StringComparer.Ordinal);
    private DateTimeOffset _lastRead = DateTimeOffset.MinValue;

    /// <summary>The node or pod that <paramref name="mac"/> belongs to, or null when it is none of ours.</summary>
    public async Task<MacOwner?> IdentifyAsync(string mac, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mac);
        if (Find(mac) is { } owner)
        {
            return owner;
        }

        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return Find(mac);
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>The owner of a pod record's MAC: its endpoint (namespace/name, else its container).</summary>
    public static MacOwner PodOwner(AllocationRecord record) => new(MacOwnerKind.Pod, EndpointIdentity.Of(record));

    private MacOwner? Find(string mac) =>
        local.Contains(mac) ? new MacOwner(MacOwnerKind.Node, options.Node) : Volatile.Read(ref _known).GetValueOrDefault(mac);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Whoever waited for a read that just finished uses it rather than reading again.
            if (clock.GetUtcNow() - _lastRead < MinRefresh)
            {
                return;
            }

            IReadOnlyList<NodeRecord> nodes = await store.ListNodesAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<AllocationRecord> allocations =
                await store.ListAllocationsAsync(AllocationFilter.All, cancellationToken).ConfigureAwait(false);
            var known = new Dictionary<string, MacOwner>(StringComparer.Ordinal);
            foreach (AllocationRecord record in allocations.Where(a => a.Mac is not null))
            {
                known[record.Mac!] = PodOwner(record);
            }

            foreach (NodeRecord node in nodes)
            {
                foreach (string mac in node.UplinkMacs)
                {
                    known[mac] = new MacOwner(MacOwnerKind.Node, node.Name);
                }
            }

            lock (_swap)
            {
                _known = known;
            }

            _lastRead = clock.GetUtcNow();
        }
        finally
        {
            _refresh.Release();
        }
    }
}
