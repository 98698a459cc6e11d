using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;
using Underpool.Store.Documents;

namespace Underpool.Store.Etcd;

/// <summary>Node registration the etcd way: a permanent node key with the labels, and an alive key on a lease of the
/// heartbeat's ttl, kept alive with LeaseKeepAlive. When etcd has let the lease expire (the agent was away too long),
/// the next heartbeat grants a new one. Alive = the alive key exists; nothing here touches the journal.</summary>
internal sealed class NodeRegistry(EtcdKv kv, EtcdKeys keys) : IDisposable
{
    private readonly SemaphoreSlim _heartbeat = new(1, 1);
    private readonly Dictionary<string, NodeLease> _leases = new(StringComparer.Ordinal);

    public async Task HeartbeatAsync(
        string name, IReadOnlyDictionary<string, string> labels, IReadOnlyCollection<string> uplinkMacs, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(uplinkMacs);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var sorted = new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal);
        List<string> macs = uplinkMacs.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        long seconds = Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds));
        await _heartbeat.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_leases.TryGetValue(name, out NodeLease? lease) && lease.Seconds == seconds
                && await LeaseCalls.KeepAliveAsync(kv, lease.Id, cancellationToken).ConfigureAwait(false))
            {
                if (!lease.Labels.SequenceEqual(sorted) || !lease.UplinkMacs.SequenceEqual(macs))
                {
                    await PutNodeAsync(name, lease with { Labels = sorted, UplinkMacs = macs }, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            await RegisterAsync(name, sorted, macs, seconds, cancellationToken).ConfigureAwait(false);
            if (lease is not null)
            {
                await LeaseCalls.RevokeQuietlyAsync(kv, lease.Id, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _heartbeat.Release();
        }
    }

    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken)
    {
        TxnResponse read = await kv.ReadAsync("listing nodes", [TxnOps.GetUnder(keys.Nodes), TxnOps.GetUnder(keys.Alive)], cancellationToken)
            .ConfigureAwait(false);
        var alive = read.Range(1).Kvs.Select(a => a.Key.ToStringUtf8()[keys.Alive.Length..]).ToHashSet(StringComparer.Ordinal);
        return read.Range(0).Kvs
            .Select(node =>
            {
                string name = node.Key.ToStringUtf8()[keys.Nodes.Length..];
                NodeDocument document = Read(node.Value, name);
                return new NodeRecord(name, document.Labels, alive.Contains(name), StoredText.Instant(document.LeaseGrantedAt))
                {
                    UplinkMacs = document.UplinkMacs ?? [],
                };
            })
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
    }

    public void Dispose() => _heartbeat.Dispose();

    /// <summary>Grants a lease and writes the node key and its alive key on it in one transaction.</summary>
    private async Task RegisterAsync(
        string name, SortedDictionary<string, string> labels, List<string> macs, long seconds, CancellationToken cancellationToken)
    {
        LeaseGrantResponse grant = await LeaseCalls.GrantAsync(kv, $"granting node '{name}' a lease", seconds, cancellationToken).ConfigureAwait(false);
        KeyValue? stored = await kv.GetAsync($"reading node '{name}'", keys.Node(name), cancellationToken).ConfigureAwait(false);
        string now = StoredText.Text(DateTimeOffset.UtcNow);
        var lease = new NodeLease(grant.ID, seconds, labels, macs, stored is null ? now : Read(stored.Value, name).RegisteredAt, now);
        await PutNodeAsync(name, lease, cancellationToken, alive: true).ConfigureAwait(false);
    }

    private async Task PutNodeAsync(string name, NodeLease lease, CancellationToken cancellationToken, bool alive = false)
    {
        var document = new NodeDocument
        {
            Labels = lease.Labels,
            RegisteredAt = lease.RegisteredAt,
            LeaseGrantedAt = lease.GrantedAt,
            UplinkMacs = lease.UplinkMacs,
        };
        var txn = new TxnRequest();
        ByteString value = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(document, NodeDocumentJsonContext.Default.NodeDocument));
        txn.Success.Add(TxnOps.Put(keys.Node(name), value));
        if (alive)
        {
            RequestOp put = TxnOps.Put(keys.AliveNode(name));
            put.RequestPut.Lease = lease.Id;
            txn.Success.Add(put);
        }

        await kv.TxnAsync($"registering node '{name}'", EtcdConnection.Kind.Write, txn, cancellationToken).ConfigureAwait(false);
        _leases[name] = lease;
    }

    private static NodeDocument Read(ByteString value, string name)
    {
        try
        {
            return JsonSerializer.Deserialize(value.Span, NodeDocumentJsonContext.Default.NodeDocument)
                ?? throw new InvalidDataException($"the store holds node '{name}' as JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the store holds node '{name}' as invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>What this store instance last wrote for a node, so a heartbeat with nothing new costs one keep-alive.</summary>
    private sealed record NodeLease(
        long Id, long Seconds, SortedDictionary<string, string> Labels, List<string> UplinkMacs, string RegisteredAt, string GrantedAt);
}
