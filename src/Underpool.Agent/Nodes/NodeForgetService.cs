using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Failures;
using Underpool.Agent.Observability;
using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Nodes;

/// <summary>`underpoolctl node forget NAME`: a node that is gone for good gives back its pods' addresses at once.</summary>
/// <remarks>Only non-static allocations go: static endpoints keep their addresses (they come back on another node), and
/// application pool carvings belong to their pool, not to the node that carved them. Nothing else (the node record,
/// pools) is removed. A node whose agent is alive is refused: its pods may be running.</remarks>
internal sealed partial class NodeForgetService
{
    /// <summary>The metrics reason of a release by `node forget`.</summary>
    public const string MetricReason = "forget";

    private readonly IIpamStore _store;
    private readonly AttachmentRelease _release;
    private readonly ILogger<NodeForgetService> _log;

    public NodeForgetService(IIpamStore store, AttachmentRelease release, ILogger<NodeForgetService> log)
    {
        _store = store;
        _release = release;
        _log = log;
    }

    public Task<Outcome<NodeForgetResponse>> ForgetAsync(string node, CancellationToken cancellationToken) =>
        ForgetAsync(node, MetricReason, cancellationToken);

    /// <param name="reason">The release reason for metrics and logs ("forget", or "dead-node" from the reaper).</param>
    public async Task<Outcome<NodeForgetResponse>> ForgetAsync(string node, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(node))
        {
            return Failure.InvalidRequest("the node name is empty");
        }

        IReadOnlyList<NodeRecord> nodes = await _store.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        NodeRecord? record = nodes.FirstOrDefault(n => n.Name == node);
        if (record is { Alive: true })
        {
            return new Failure(
                ProblemKinds.NodeAlive,
                $"node {node} is alive (its agent's heartbeat is current): its pods may still run, so their addresses are not "
                + "released; stop its agent first, or release single pods with CNI DEL");
        }

        IReadOnlyList<AllocationRecord> held = await _store
            .ListAllocationsAsync(new AllocationFilter(Node: node), cancellationToken)
            .ConfigureAwait(false);
        if (record is null && held.Count == 0)
        {
            return new Failure(ProblemKinds.UnknownNode, $"no node {node} is registered and none holds addresses; 'underpoolctl node list' shows them");
        }

        var released = new List<AllocationView>();
        foreach (AttachmentKey key in held.Where(r => r.Kind == AllocationKind.Workload)
                     .Select(r => r.Attachment).Distinct())
        {
            IReadOnlyList<AllocationRecord> gone = await _release.ReleaseAsync(key, reason, cancellationToken).ConfigureAwait(false);
            released.AddRange(gone.Select(AttachmentMapping.ToView));
        }

        LogForgotten(node, released.Count, reason);
        return new NodeForgetResponse { Node = node, Released = released, KeptStatic = held.Count(r => r.Kind != AllocationKind.Workload) };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node} forgotten: released {Count} addresses of its pods ({Reason})")]
    private partial void LogForgotten(string node, int count, string reason);
}
