using Etcdserverpb;
using Google.Protobuf;

namespace Underpool.Store.Etcd;

/// <summary>The compares and operations the store's transactions are built from.</summary>
internal static class TxnOps
{
    /// <summary>etcd's default --max-txn-ops: the most compares, or success or failure operations, in one transaction.</summary>
    public const int MaxOps = 128;

    /// <summary>The key does not exist (create_revision 0).</summary>
    public static Compare Absent(string key) => new()
    {
        Key = EtcdKeys.Bytes(key),
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = 0,
    };

    /// <summary>No key starts with <paramref name="prefix"/>: a range compare is true when every key in it passes,
    /// and a key that does not exist has create_revision 0.</summary>
    public static Compare NoneUnder(string prefix)
    {
        Compare compare = Absent(prefix);
        compare.RangeEnd = EtcdKeys.PrefixEnd(prefix);
        return compare;
    }

    /// <summary>The key was last written at <paramref name="revision"/> (0 also matches a key that does not exist).</summary>
    public static Compare ModifiedAt(string key, long revision) => new()
    {
        Key = EtcdKeys.Bytes(key),
        Target = Compare.Types.CompareTarget.Mod,
        Result = Compare.Types.CompareResult.Equal,
        ModRevision = revision,
    };

    public static RequestOp Put(string key, ByteString value) =>
        new() { RequestPut = new PutRequest { Key = EtcdKeys.Bytes(key), Value = value } };

    public static RequestOp Put(string key) => Put(key, ByteString.Empty);

    public static RequestOp Delete(string key) => new() { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Bytes(key) } };

    public static RequestOp Get(string key, bool keysOnly = false) =>
        new() { RequestRange = new RangeRequest { Key = EtcdKeys.Bytes(key), KeysOnly = keysOnly } };

    public static RequestOp CountUnder(string prefix) => new()
    {
        RequestRange = new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.PrefixEnd(prefix), CountOnly = true },
    };

    public static RequestOp GetUnder(string prefix) => new()
    {
        RequestRange = new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.PrefixEnd(prefix) },
    };

    /// <summary>The key-values a range operation of a transaction returned.</summary>
    public static RangeResponse Range(this TxnResponse response, int index) => response.Responses[index].ResponseRange;
}
