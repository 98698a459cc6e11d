using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using Underpool.Core.Net;
using Underpool.Store.Documents;

namespace Underpool.Store.Etcd;

/// <summary>Quarantined addresses, one key each: read, then write guarded on what was read (again after a lost race).
/// A commit compares each of its addresses' quarantine keys absent, as it does reserved keys.</summary>
internal sealed class QuarantineWrites(EtcdKv kv, EtcdKeys keys)
{
    private const int Rounds = 5;

    public async Task<bool> PutAsync(QuarantineRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        string key = keys.QuarantineAddress(record.Address);
        string what = $"quarantining {record.Address}";
        for (int round = 0; round < Rounds; round++)
        {
            KeyValue? held = await kv.GetAsync(what, key, cancellationToken).ConfigureAwait(false);
            if (held is not null && Read(held) == record)
            {
                return false;
            }

            var txn = new TxnRequest();
            txn.Compare.Add(held is null ? TxnOps.Absent(key) : TxnOps.ModifiedAt(key, held.ModRevision));
            txn.Success.Add(TxnOps.Put(key, Write(record)));
            txn.Success.Add(TxnOps.Put(keys.Revision));
            if ((await kv.TxnAsync(what, EtcdConnection.Kind.Write, txn, cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                return held is null;
            }
        }

        throw new StoreUnavailableException(kv.Connection.Description, what, $"lost {Rounds} races in a row", nothingChanged: true);
    }

    public async Task<bool> RemoveAsync(IpAddress address, CancellationToken cancellationToken)
    {
        string key = keys.QuarantineAddress(address);
        string what = $"freeing {address} from quarantine";
        for (int round = 0; round < Rounds; round++)
        {
            KeyValue? held = await kv.GetAsync(what, key, cancellationToken).ConfigureAwait(false);
            if (held is null)
            {
                return false;
            }

            var txn = new TxnRequest();
            txn.Compare.Add(TxnOps.ModifiedAt(key, held.ModRevision));
            txn.Success.Add(TxnOps.Delete(key));
            txn.Success.Add(TxnOps.Put(keys.Revision));
            if ((await kv.TxnAsync(what, EtcdConnection.Kind.Write, txn, cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                return true;
            }
        }

        throw new StoreUnavailableException(kv.Connection.Description, what, $"lost {Rounds} races in a row", nothingChanged: true);
    }

    public async Task<IReadOnlyList<QuarantineRecord>> ListAsync(CancellationToken cancellationToken)
    {
        List<KeyValue> kvs = await kv.ListAsync("listing quarantined addresses", keys.Quarantine, keysOnly: false, cancellationToken).ConfigureAwait(false);
        return kvs.Select(Read).OrderBy(r => r.Address).ToList();
    }

    private QuarantineRecord Read(KeyValue stored)
    {
        string key = stored.Key.ToStringUtf8();
        QuarantineDocument document;
        try
        {
            document = JsonSerializer.Deserialize(stored.Value.Span, QuarantineDocumentJsonContext.Default.QuarantineDocument)
                ?? throw new InvalidDataException($"the store holds JSON null at {key}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the store holds a quarantine record that is not valid JSON at {key}: {e.Message}", e);
        }

        return new QuarantineRecord
        {
            Address = StoredText.Address(key[keys.Quarantine.Length..]),
            Pool = document.Pool,
            Mac = document.Mac,
            Node = document.Node,
            Interface = document.Interface,
            DetectedAt = StoredText.Instant(document.DetectedAt),
        };
    }

    private static ByteString Write(QuarantineRecord record) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(
        new QuarantineDocument
        {
            Pool = record.Pool,
            Mac = record.Mac,
            Node = record.Node,
            Interface = record.Interface,
            DetectedAt = StoredText.Text(record.DetectedAt),
        },
        QuarantineDocumentJsonContext.Default.QuarantineDocument));
}
