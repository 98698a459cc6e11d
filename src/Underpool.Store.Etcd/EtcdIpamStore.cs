using Etcdserverpb;
using Mvccpb;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store.Documents;

namespace Underpool.Store.Etcd;

/// <summary>The etcd store: every agent of a cluster shares one etcd (3.4 or later); keys as <see cref="EtcdKeys"/> lays
/// them out.</summary>
/// <remarks>Each (pool, address) is its own key and a commit is one transaction comparing each key's create revision,
/// so allocations of different addresses never conflict. Every call has a deadline (<see cref="EtcdStoreOptions.CallTimeout"/>)
/// and every etcd failure surfaces as <see cref="StoreUnavailableException"/>.</remarks>
public sealed class EtcdIpamStore : IIpamStore
{
    private readonly EtcdKeys _keys;
    private readonly EtcdConnection _connection;
    private readonly EtcdKv _kv;
    private readonly ChangeFeed _feed;
    private readonly AttachmentWrites _attachments;
    private readonly BatchCommit _batches;
    private readonly GroupCommit _group;
    private readonly PoolDeletion _deletion;
    private readonly NodeRegistry _nodes;
    private readonly QuarantineWrites _quarantine;
    private readonly LeaderLeases _leaderLeases;

    public EtcdIpamStore(EtcdStoreOptions options)
        : this(options, changeCapacity: 100_000)
    {
    }

    /// <param name="changeCapacity">How many of the newest changes the in-memory journal keeps.</param>
    internal EtcdIpamStore(EtcdStoreOptions options, int changeCapacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Description = $"etcd store '{options.Prefix}'";
        _keys = new EtcdKeys(options.Prefix);
        _connection = new EtcdConnection(options, Description);
        _kv = new EtcdKv(_connection);
        _feed = new ChangeFeed(_connection, _keys, changeCapacity);
        _attachments = new AttachmentWrites(_kv, _keys);
        _batches = new BatchCommit(_kv, _keys, _attachments);
        _group = new GroupCommit(_kv, _keys, _attachments);
        _deletion = new PoolDeletion(_kv, _keys);
        _nodes = new NodeRegistry(_kv, _keys);
        _quarantine = new QuarantineWrites(_kv, _keys);
        _leaderLeases = new LeaderLeases(_kv, _keys);
    }

    public string Description { get; }

    internal ChangeFeed Feed => _feed;

    internal GroupCommit Group => _group;

    /// <summary>Nothing to create (keys appear with their first write): starts following the store's changes.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _feed.StartAsync(cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => CurrentRevisionAsync(cancellationToken);

    public async Task<PoolsSnapshot> ListPoolsAsync(CancellationToken cancellationToken)
    {
        // One read-only transaction, so the pools and the pool set's revision are of one moment.
        TxnResponse read = await _kv.ReadAsync("listing the pools", [TxnOps.GetUnder(_keys.Pools), TxnOps.Get(_keys.PoolSet, keysOnly: true)], cancellationToken)
            .ConfigureAwait(false);
        List<PoolSpec> pools = read.Range(0).Kvs.Select(ToPool).ToList();
        return new PoolsSnapshot(pools, PoolSetRevision(read.Range(1)));
    }

    public async Task<PoolSpec?> GetPoolAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        KeyValue? kv = await _kv.GetAsync($"reading pool '{name}'", _keys.Pool(name), cancellationToken).ConfigureAwait(false);
        return kv is null ? null : ToPool(kv);
    }

    public async Task<PoolCreateStatus> CreatePoolAsync(PoolSpec pool, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        string key = _keys.Pool(pool.Name);
        var txn = new TxnRequest();
        txn.Compare.Add(TxnOps.Absent(key));
        txn.Compare.Add(TxnOps.ModifiedAt(_keys.PoolSet, expectedRevision));
        txn.Success.Add(TxnOps.Put(key, Google.Protobuf.ByteString.CopyFromUtf8(PoolSpecJson.Write(pool))));
        txn.Success.Add(TxnOps.Put(_keys.PoolSet));
        txn.Success.Add(TxnOps.Put(_keys.Revision));
        txn.Failure.Add(TxnOps.Get(key, keysOnly: true));
        TxnResponse response = await _kv.TxnAsync($"creating pool '{pool.Name}'", EtcdConnection.Kind.Write, txn, cancellationToken)
            .ConfigureAwait(false);
        return response.Succeeded ? PoolCreateStatus.Created
            : response.Range(0).Kvs.Count > 0 ? PoolCreateStatus.NameTaken
            : PoolCreateStatus.Stale;
    }

    public async Task<PoolUpdateStatus> UpdatePoolAsync(PoolSpec pool, PoolUpdateGuard guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(guard);
        string key = _keys.Pool(pool.Name);
        var txn = new TxnRequest();

        // mod_revision 0 would match a missing key: no stored pool has generation 0.
        txn.Compare.Add(TxnOps.ModifiedAt(key, guard.Generation <= 0 ? -1 : guard.Generation));
        if (guard.PoolSetRevision is { } revision)
        {
            txn.Compare.Add(TxnOps.ModifiedAt(_keys.PoolSet, revision));
        }

        txn.Compare.AddRange(guard.MustBeFree.Select(a => TxnOps.Absent(_keys.Allocation(pool.Name, a))));
        txn.Success.Add(TxnOps.Put(key, Google.Protobuf.ByteString.CopyFromUtf8(PoolSpecJson.Write(pool))));
        txn.Success.Add(TxnOps.Put(_keys.PoolSet));
        txn.Success.Add(TxnOps.Put(_keys.Revision));

        // Read back what the compares looked at, so the outcome costs no second round trip.
        txn.Failure.Add(TxnOps.Get(key, keysOnly: true));
        txn.Failure.Add(TxnOps.Get(_keys.PoolSet, keysOnly: true));
        txn.Failure.AddRange(guard.MustBeFree.Select(a => TxnOps.Get(_keys.Allocation(pool.Name, a), keysOnly: true)));
        TxnResponse response = await _kv.TxnAsync($"updating pool '{pool.Name}'", EtcdConnection.Kind.Write, txn, cancellationToken)
            .ConfigureAwait(false);
        if (response.Succeeded)
        {
            return PoolUpdateStatus.Updated;
        }

        RangeResponse current = response.Range(0);
        if (current.Kvs.Count == 0)
        {
            return PoolUpdateStatus.NotFound;
        }

        bool stale = current.Kvs[0].ModRevision != guard.Generation
                     || (guard.PoolSetRevision is { } expected && PoolSetRevision(response.Range(1)) != expected);
        return stale ? PoolUpdateStatus.Stale : PoolUpdateStatus.InUse;
    }

    public Task<PoolDeleteOutcome> DeletePoolAsync(string name, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _deletion.DeleteAsync(name, force, cancellationToken);
    }

    public async Task<IReadOnlyList<IpAddress>> ListReservedAsync(CancellationToken cancellationToken)
    {
        List<KeyValue> kvs = await _kv.ListAsync("listing reserved addresses", _keys.Reserved, keysOnly: true, cancellationToken).ConfigureAwait(false);
        List<IpAddress> addresses = kvs.Select(kv => StoredText.Address(kv.Key.ToStringUtf8()[_keys.Reserved.Length..])).ToList();
        addresses.Sort();
        return addresses;
    }

    public Task<IReadOnlyList<IpAddress>> AddReservedAsync(IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        ReservedWrites.AddAsync(_kv, _keys, addresses, cancellationToken);

    public Task<IReadOnlyList<IpAddress>> RemoveReservedAsync(IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        ReservedWrites.RemoveAsync(_kv, _keys, addresses, cancellationToken);

    public Task<bool> TryHoldLeaseAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken) =>
        _leaderLeases.TryHoldAsync(name, holder, ttl, cancellationToken);

    public Task<bool> QuarantineAsync(QuarantineRecord record, CancellationToken cancellationToken) =>
        _quarantine.PutAsync(record, cancellationToken);

    public Task<IReadOnlyList<QuarantineRecord>> ListQuarantineAsync(CancellationToken cancellationToken) =>
        _quarantine.ListAsync(cancellationToken);

    public Task<bool> RemoveQuarantineAsync(IpAddress address, CancellationToken cancellationToken) =>
        _quarantine.RemoveAsync(address, cancellationToken);

    public async Task<AllocationRecord?> GetAllocationAsync(string pool, IpAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        KeyValue? stored = await _kv.GetAsync($"reading allocation {address} of pool '{pool}'", _keys.Allocation(pool, address), cancellationToken)
            .ConfigureAwait(false);
        return stored is null ? null : AllocationJson.ReadOne(stored.Value);
    }

    public async Task<IReadOnlyList<AllocationRecord>> GetAttachmentAsync(AttachmentKey attachment, CancellationToken cancellationToken) =>
        (await _attachments.GetAsync(attachment, cancellationToken).ConfigureAwait(false))?.Records ?? [];

    /// <remarks>Concurrent commits of this store share transactions (<see cref="GroupCommit"/>).</remarks>
    public Task<CommitOutcome> TryCommitAsync(IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken) =>
        _group.TryCommitAsync(records, cancellationToken);

    public Task<IReadOnlyList<CommitOutcome>> TryCommitManyAsync(
        IReadOnlyList<IReadOnlyList<AllocationRecord>> attachments, CancellationToken cancellationToken) =>
        _batches.CommitAsync(attachments, cancellationToken);

    public Task<bool> ReplaceAttachmentAsync(
        IReadOnlyList<AllocationRecord> expected, IReadOnlyList<AllocationRecord> replacement, CancellationToken cancellationToken) =>
        _attachments.ReplaceAsync(expected, replacement, cancellationToken);

    public Task<IReadOnlyList<AllocationRecord>> ReleaseAttachmentAsync(AttachmentKey attachment, CancellationToken cancellationToken) =>
        _attachments.ReleaseAsync(attachment, cancellationToken);

    public async Task<IReadOnlyList<AllocationRecord>> ListAllocationsAsync(AllocationFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        string prefix = filter.Pool is { } pool ? _keys.PoolAllocations(pool) : _keys.Allocations;
        List<KeyValue> kvs = await _kv.ListAsync("listing allocations", prefix, keysOnly: false, cancellationToken).ConfigureAwait(false);
        List<AllocationRecord> records = kvs.Select(kv => AllocationJson.ReadOne(kv.Value))
            .Where(r => (filter.Node is null || r.Node == filter.Node) && (filter.Network is null || r.Attachment.Network == filter.Network))
            .ToList();
        records.Sort(static (a, b) =>
        {
            int byPool = string.CompareOrdinal(a.Pool, b.Pool);
            return byPool != 0 ? byPool : a.Address.CompareTo(b.Address);
        });
        return records;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountAllocationsByPoolAsync(CancellationToken cancellationToken)
    {
        List<KeyValue> kvs = await _kv.ListAsync("counting allocations", _keys.Allocations, keysOnly: true, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (KeyValue kv in kvs)
        {
            if (_keys.ParseAllocation(kv.Key.ToStringUtf8()) is { } allocation)
            {
                counts[allocation.Pool] = counts.GetValueOrDefault(allocation.Pool) + 1;
            }
        }

        return counts;
    }

    public Task HeartbeatNodeAsync(
        string name,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyCollection<string> uplinkMacs,
        TimeSpan ttl,
        CancellationToken cancellationToken) =>
        _nodes.HeartbeatAsync(name, labels, uplinkMacs, ttl, cancellationToken);

    public Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken) => _nodes.ListAsync(cancellationToken);

    public async Task<long> CurrentRevisionAsync(CancellationToken cancellationToken) =>
        (await _feed.ReadMarkerAsync(cancellationToken).ConfigureAwait(false)).Marker;

    public Task<StoreChangeBatch> ReadChangesAsync(long afterRevision, CancellationToken cancellationToken) =>
        _feed.ReadAsync(afterRevision, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _feed.DisposeAsync().ConfigureAwait(false);
        _nodes.Dispose();
        _leaderLeases.Dispose();
        _connection.Dispose();
    }

    private static PoolSpec ToPool(KeyValue kv) => PoolSpecJson.Read(kv.Value.ToStringUtf8()) with { Generation = kv.ModRevision };

    private static long PoolSetRevision(RangeResponse range) => range.Kvs.Count > 0 ? range.Kvs[0].ModRevision : 0;
}
