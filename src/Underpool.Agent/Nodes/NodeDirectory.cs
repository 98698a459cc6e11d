using Underpool.Agent.Ipam;
using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Nodes;

/// <summary>The registered nodes with their liveness and how many addresses each holds: `underpoolctl node list`.</summary>
public sealed class NodeDirectory
{
    private readonly IIpamStore _store;

    public NodeDirectory(IIpamStore store) => _store = store;

    public async Task<Outcome<NodeList>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<NodeRecord> nodes = await _store.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AllocationRecord> allocations =
            await _store.ListAllocationsAsync(AllocationFilter.All, cancellationToken).ConfigureAwait(false);
        Dictionary<string, long> perNode = allocations.GroupBy(a => a.Node, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

        var views = nodes.Select(n => new NodeView
        {
            Name = n.Name,
            Labels = n.Labels,
            Alive = n.Alive,
            LastSeen = n.LastSeen,
            Allocations = perNode.GetValueOrDefault(n.Name),
            UplinkMacs = n.UplinkMacs,
        }).ToList();

        // Allocations filed under a node that never registered (made before registration existed, or by a node whose
        // record was removed) must still show up somewhere: as not-alive nodes without labels.
        var known = new HashSet<string>(nodes.Select(n => n.Name), StringComparer.Ordinal);
        views.AddRange(perNode.Where(p => !known.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new NodeView { Name = p.Key, Alive = false, Allocations = p.Value }));
        return new NodeList { Nodes = views };
    }
}
