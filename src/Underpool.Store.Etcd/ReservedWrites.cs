using Etcdserverpb;
using Google.Protobuf;
using Underpool.Core.Net;
using Underpool.Store.Documents;

namespace Underpool.Store.Etcd;

/// <summary>Adds to and removes from the reserved set: read which addresses would change, then one transaction per
/// chunk guarded on exactly those keys (again when another agent changed one in between).</summary>
internal static class ReservedWrites
{
    /// <summary>Addresses per transaction: each needs a compare and an operation, and etcd caps both at 128.</summary>
    private const int Chunk = 100;

    private const int Rounds = 5;

    public static Task<IReadOnlyList<IpAddress>> AddAsync(EtcdKv kv, EtcdKeys keys, IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        ChangeAsync(kv, keys, addresses, adding: true, cancellationToken);

    public static Task<IReadOnlyList<IpAddress>> RemoveAsync(EtcdKv kv, EtcdKeys keys, IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        ChangeAsync(kv, keys, addresses, adding: false, cancellationToken);

    private static async Task<IReadOnlyList<IpAddress>> ChangeAsync(
        EtcdKv kv, EtcdKeys keys, IReadOnlyList<IpAddress> addresses, bool adding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var changed = new List<IpAddress>();
        foreach (IpAddress[] chunk in addresses.Distinct().Chunk(Chunk))
        {
            changed.AddRange(await ChangeChunkAsync(kv, keys, chunk, adding, cancellationToken).ConfigureAwait(false));
        }

        return changed;
    }

    private static async Task<List<IpAddress>> ChangeChunkAsync(
        EtcdKv kv, EtcdKeys keys, IpAddress[] chunk, bool adding, CancellationToken cancellationToken)
    {
        string what = adding ? "reserving addresses" : "releasing reserved addresses";
        for (int round = 0; round < Rounds; round++)
        {
            TxnResponse read = await kv.ReadAsync(what, chunk.Select(a => TxnOps.Get(keys.ReservedAddress(a), keysOnly: true)), cancellationToken)
                .ConfigureAwait(false);
            var txn = new TxnRequest();
            var changing = new List<IpAddress>();
            for (int i = 0; i < chunk.Length; i++)
            {
                string key = keys.ReservedAddress(chunk[i]);
                Mvccpb.KeyValue? held = read.Range(i).Kvs.FirstOrDefault();
                if (adding && held is null)
                {
                    txn.Compare.Add(TxnOps.Absent(key));
                    txn.Success.Add(TxnOps.Put(key, ByteString.CopyFromUtf8(StoredText.Text(chunk[i]))));
                    changing.Add(chunk[i]);
                }
                else if (!adding && held is not null)
                {
                    txn.Compare.Add(TxnOps.ModifiedAt(key, held.ModRevision));
                    txn.Success.Add(TxnOps.Delete(key));
                    changing.Add(chunk[i]);
                }
            }

            if (changing.Count == 0)
            {
                return changing;
            }

            txn.Success.Add(TxnOps.Put(keys.Revision));
            if ((await kv.TxnAsync(what, EtcdConnection.Kind.Write, txn, cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                return changing;
            }
        }

        throw new StoreUnavailableException(kv.Connection.Description, what, $"lost {Rounds} races in a row", nothingChanged: true);
    }
}
