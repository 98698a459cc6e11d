using System.Diagnostics;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;
using Underpool.Store.Etcd;

namespace Underpool.StoreLimit;

/// <summary>The store alone, as the agent's commit stage calls it: one <see cref="IIpamStore.TryCommitAsync"/> per
/// allocation with the record an ADD writes, no HTTP and no agent stages above it. Between the raw transaction and the
/// whole ADD, it tells what the store's transaction shape and its gRPC client cost, apart from the agent.</summary>
internal static class StoreCommitLoad
{
    /// <param name="offset">How many addresses of the pool earlier rounds took: this round starts after them.</param>
    public static async Task<LoadResult> RunAsync(EtcdIpamStore store, PoolSpec pool, string round, int offset, int clients, int operations)
    {
        IpAddress first = pool.Subnet.Network.Add((UInt128)(offset + 1));
        int next = -1;
        long collisions = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < operations; i = Interlocked.Increment(ref next))
            {
                var record = new AllocationRecord
                {
                    Pool = pool.Name,
                    PoolGeneration = pool.Generation,
                    Address = first.Add((UInt128)i),
                    Attachment = new AttachmentKey("net1", $"store-{round}-{i}", "eth0"),
                    Node = "bench",
                    NetNs = "/var/run/netns/bench",
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                CommitOutcome outcome = await store.TryCommitAsync([record], CancellationToken.None);
                if (outcome.Status != CommitStatus.Committed)
                {
                    Interlocked.Increment(ref collisions);
                }
            }
        })));
        return new LoadResult("store commit only", operations - (int)collisions, watch.Elapsed, 0, (int)collisions);
    }
}
