using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace Underpool.Store.Etcd;

/// <summary>Leader leases the etcd way: key <c>&lt;prefix&gt;/v1/leases/&lt;name&gt;</c> holding the holder's name, created
/// if absent on an etcd lease of the ttl and kept alive by its holder; when the holder stops, etcd deletes the key at
/// the lease's expiry and another holder can create it.</summary>
internal sealed class LeaderLeases(EtcdKv kv, EtcdKeys keys) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _held = new(StringComparer.Ordinal);

    public async Task<bool> TryHoldAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        string key = keys.Lease(name);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_held.TryGetValue(name, out long id) && await LeaseCalls.KeepAliveAsync(kv, id, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            _held.Remove(name);
            KeyValue? current = await kv.GetAsync($"reading lease '{name}'", key, cancellationToken).ConfigureAwait(false);
            if (current is not null)
            {
                // Ours from before a restart of this holder: adopt its etcd lease; anyone else's: not ours while it lives.
                if (current.Value.ToStringUtf8() == holder && await LeaseCalls.KeepAliveAsync(kv, current.Lease, cancellationToken).ConfigureAwait(false))
                {
                    _held[name] = current.Lease;
                    return true;
                }

                return false;
            }

            long seconds = Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds));
            LeaseGrantResponse grant = await LeaseCalls.GrantAsync(kv, $"granting lease '{name}'", seconds, cancellationToken).ConfigureAwait(false);
            var txn = new TxnRequest();
            txn.Compare.Add(TxnOps.Absent(key));
            RequestOp put = TxnOps.Put(key, ByteString.CopyFromUtf8(holder));
            put.RequestPut.Lease = grant.ID;
            txn.Success.Add(put);
            if ((await kv.TxnAsync($"taking lease '{name}'", EtcdConnection.Kind.Write, txn, cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                _held[name] = grant.ID;
                return true;
            }

            await LeaseCalls.RevokeQuietlyAsync(kv, grant.ID, cancellationToken).ConfigureAwait(false);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
