using Etcdserverpb;
using Mvccpb;

namespace Underpool.Store.Etcd;

/// <summary>The KV calls the store makes, each with its deadline and failure handling from <see cref="EtcdConnection"/>.</summary>
internal sealed class EtcdKv(EtcdConnection connection)
{
    /// <summary>Keys per page of a long listing: bounded responses, and each page its own deadline.</summary>
    private const int PageSize = 1000;

    public EtcdConnection Connection => connection;

    public Task<TxnResponse> TxnAsync(string what, EtcdConnection.Kind kind, TxnRequest request, CancellationToken cancellationToken) =>
        connection.CallAsync(what, kind, async (endpoint, options) =>
            await endpoint.Kv.TxnAsync(request, options).ConfigureAwait(false), cancellationToken);

    /// <summary>A read-only transaction: the ranges all read at one revision.</summary>
    public Task<TxnResponse> ReadAsync(string what, IEnumerable<RequestOp> ranges, CancellationToken cancellationToken)
    {
        var request = new TxnRequest();
        request.Success.AddRange(ranges);
        return TxnAsync(what, EtcdConnection.Kind.Read, request, cancellationToken);
    }

    public async Task<KeyValue?> GetAsync(string what, string key, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        RangeResponse response = await connection.CallAsync(what, EtcdConnection.Kind.Read, async (endpoint, options) =>
            await endpoint.Kv.RangeAsync(new RangeRequest { Key = EtcdKeys.Bytes(key) }, options).ConfigureAwait(false), cancellationToken, timeout)
            .ConfigureAwait(false);
        return response.Kvs.Count > 0 ? response.Kvs[0] : null;
    }

    /// <summary>Every key under <paramref name="prefix"/> in key order, page by page, all pages at the revision of the first.</summary>
    public async Task<List<KeyValue>> ListAsync(string what, string prefix, bool keysOnly, CancellationToken cancellationToken, long limit = 0)
    {
        var all = new List<KeyValue>();
        var request = new RangeRequest
        {
            Key = EtcdKeys.Bytes(prefix),
            RangeEnd = EtcdKeys.PrefixEnd(prefix),
            KeysOnly = keysOnly,
            Limit = limit > 0 ? Math.Min(limit, PageSize) : PageSize,
        };
        while (true)
        {
            RangeRequest page = request;
            RangeResponse response = await connection.CallAsync(what, EtcdConnection.Kind.Read, async (endpoint, options) =>
                await endpoint.Kv.RangeAsync(page, options).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            all.AddRange(response.Kvs);
            if (!response.More || response.Kvs.Count == 0 || (limit > 0 && all.Count >= limit))
            {
                return all;
            }

            // The next page starts just after the last key, at the same revision, so pages never overlap or miss.
            request = request.Clone();
            request.Key = Google.Protobuf.ByteString.CopyFrom([.. response.Kvs[^1].Key.Span, 0]);
            request.Revision = response.Header.Revision;
        }
    }
}
