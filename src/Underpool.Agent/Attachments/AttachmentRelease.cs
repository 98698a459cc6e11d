using Underpool.Agent.Observability;
using Underpool.Agent.Pools;
using Underpool.Store;

namespace Underpool.Agent.Attachments;

/// <summary>The one way the agent gives an attachment's addresses back: released in the store, freed in the view, and
/// counted under the reason (del, gc, sweep, forget, dead-node, endpoint-release, ...).</summary>
internal sealed class AttachmentRelease(IIpamStore store, PoolRegistry registry, AgentMetrics metrics)
{
    /// <returns>What was released (empty when the attachment held nothing).</returns>
    public async Task<IReadOnlyList<AllocationRecord>> ReleaseAsync(AttachmentKey attachment, string reason, CancellationToken cancellationToken)
    {
        IReadOnlyList<AllocationRecord> released = await store.ReleaseAttachmentAsync(attachment, cancellationToken).ConfigureAwait(false);
        foreach (AllocationRecord record in released)
        {
            registry.Release(record.Pool, record.Address);
            metrics.Released(record.Pool, reason);
        }

        return released;
    }
}
