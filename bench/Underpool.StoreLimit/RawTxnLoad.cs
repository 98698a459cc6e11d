using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using Underpool.Testing;

namespace Underpool.StoreLimit;

/// <summary>The shape of one Underpool commit, stripped to etcd alone: one transaction that creates a fresh key if
/// absent and puts a marker. Nothing above etcd can allocate faster than this, one write per allocation.</summary>
internal static class RawTxnLoad
{
    public static async Task<LoadResult> RunAsync(EtcdCluster cluster, string prefix, int clients, int operations)
    {
        int next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            KV.KVClient kv = cluster.KvClient(client % cluster.Size);
            for (int i = Interlocked.Increment(ref next); i < operations; i = Interlocked.Increment(ref next))
            {
                ByteString key = ByteString.CopyFromUtf8($"{prefix}/raw/{i}");
                var txn = new TxnRequest();
                txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
                txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFromUtf8("x") } });
                txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8($"{prefix}/raw-marker") } });
                await kv.TxnAsync(txn, deadline: DateTime.UtcNow.AddSeconds(10));
            }
        })));
        return new LoadResult("raw etcd txn", operations, watch.Elapsed, 0, 0);
    }
}
