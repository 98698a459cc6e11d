using System.Diagnostics;
using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Underpool.Testing;

namespace Underpool.StoreLimit;

/// <summary>The design Underpool avoids, built here only to measure it: the whole pool is one object (the set of used
/// addresses); an allocation reads it, adds the lowest free address and writes it back with a compare on the object's
/// revision, and starts over when another client wrote first.</summary>
internal static class WholePoolCasLoad
{
    public static async Task<LoadResult> RunAsync(EtcdCluster cluster, string prefix, int clients, int operations)
    {
        ByteString key = ByteString.CopyFromUtf8($"{prefix}/pool-object");
        int next = -1;
        long retries = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            KV.KVClient kv = cluster.KvClient(client % cluster.Size);
            for (int i = Interlocked.Increment(ref next); i < operations; i = Interlocked.Increment(ref next))
            {
                while (true)
                {
                    RangeResponse read = await kv.RangeAsync(new RangeRequest { Key = key }, deadline: DateTime.UtcNow.AddSeconds(10));
                    long revision = read.Kvs.Count == 0 ? 0 : read.Kvs[0].ModRevision;
                    string used = read.Kvs.Count == 0 ? string.Empty : read.Kvs[0].Value.ToStringUtf8();

                    // The used set as a bitmap string: '1' per allocated index; the lowest '0' (or the end) is free.
                    int free = used.IndexOf('0', StringComparison.Ordinal);
                    string updated = free < 0 ? used + "1" : string.Concat(used.AsSpan(0, free), "1", used.AsSpan(free + 1));
                    var txn = new TxnRequest();
                    txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = revision });
                    txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFrom(Encoding.ASCII.GetBytes(updated)) } });
                    if ((await kv.TxnAsync(txn, deadline: DateTime.UtcNow.AddSeconds(10))).Succeeded)
                    {
                        break;
                    }

                    Interlocked.Increment(ref retries);
                }
            }
        })));
        return new LoadResult("whole-pool CAS (peers)", operations, watch.Elapsed, retries, 0);
    }
}
