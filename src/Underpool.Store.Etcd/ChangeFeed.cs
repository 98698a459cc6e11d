using Etcdserverpb;
using Grpc.Core;
using Mvccpb;

namespace Underpool.Store.Etcd;

/// <summary>The store's change journal: one background watch on the store's keys, its events kept in memory as
/// <see cref="StoreChange"/>s, so <see cref="ReadAsync"/> (called before every ADD) costs no round trip when the
/// reader is current.</summary>
/// <remarks>
/// Revisions are etcd's: the changes of one transaction share its revision. "Watched up to W" is the newest revision
/// whose events the watch has delivered; every journalled write also puts the marker key, so the watch sees this
/// store's current revision P as the marker's newest mod_revision without a read.
/// A broken stream (member restart, leader change) is resumed from W+1 on the next endpoint, so nothing is lost or
/// repeated. If etcd compacted that revision meanwhile, the changes in between are gone: when this store wrote any,
/// the ring is emptied and starts at the current revision, and readers from before it get ResetRequired.
/// </remarks>
internal sealed class ChangeFeed : IAsyncDisposable
{
    /// <summary>The most changes one read returns (more when a write's changes would otherwise split).</summary>
    public const int BatchLimit = 10_000;

    private readonly EtcdConnection _connection;
    private readonly EtcdKeys _keys;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly ChangeRing _ring;
    private long _watched;
    private long _prefixRevision;
    private TaskCompletionSource _progress = NewSignal();
    private Task _loop = Task.CompletedTask;

    // Test hook (SuspendAsync/Resume): lets a test make the watch miss a compaction as a long outage would.
    private TaskCompletionSource? _resume;
    private TaskCompletionSource? _parked;
    private CancellationTokenSource? _stream;

    public ChangeFeed(EtcdConnection connection, EtcdKeys keys, int capacity)
    {
        _connection = connection;
        _keys = keys;
        _ring = new ChangeRing(capacity, start: 0);
    }

    /// <summary>Reads the store's revision and starts watching right after it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        (long marker, long header) = await ReadMarkerAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _ring.Reset(marker);
            _prefixRevision = marker;
            _watched = header;
        }

        _loop = Task.Run(WatchLoopAsync, CancellationToken.None);
    }

    public async Task<StoreChangeBatch> ReadAsync(long afterRevision, CancellationToken cancellationToken)
    {
        if (Serve(afterRevision) is { } served)
        {
            return served;
        }

        // Asked beyond what the watch has delivered: either the watch lags this store's newest write (wait for it) or
        // the revision is one this store never reached (its etcd was replaced, or the reader is confused).
        (long marker, _) = await ReadMarkerAsync(cancellationToken).ConfigureAwait(false);
        if (afterRevision > marker)
        {
            return new StoreChangeBatch([], marker, ResetRequired: true);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_connection.CallTimeout);
        while (true)
        {
            Task progressed;
            lock (_lock)
            {
                progressed = _progress.Task;
            }

            if (Serve(afterRevision) is { } batch)
            {
                return batch;
            }

            try
            {
                await progressed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw _connection.Unavailable(
                    $"waiting for the change feed to reach revision {afterRevision} (it has {WatchedRevision})", e, nothingChanged: true);
            }
        }
    }

    /// <summary>The newest revision whose events the watch has delivered.</summary>
    public long WatchedRevision
    {
        get
        {
            lock (_lock)
            {
                return _watched;
            }
        }
    }

    /// <summary>Test hook: ends the watch stream and keeps it down until <see cref="Resume"/>.</summary>
    internal async Task SuspendAsync()
    {
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _parked = parked;
            _stream?.Cancel();
        }

        await parked.Task.ConfigureAwait(false);
    }

    internal void Resume()
    {
        lock (_lock)
        {
            _resume?.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Resume();
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>The answer from memory, or null when the watch has not reached <paramref name="after"/> yet.</summary>
    private StoreChangeBatch? Serve(long after)
    {
        lock (_lock)
        {
            if (after < _ring.Start)
            {
                return new StoreChangeBatch([], _prefixRevision, ResetRequired: true);
            }

            if (after > _watched)
            {
                return null;
            }

            // Every revision of this store up to W is known: one above the newest is one it never reached.
            if (after > _prefixRevision)
            {
                return new StoreChangeBatch([], _prefixRevision, ResetRequired: true);
            }

            List<StoreChange> changes = _ring.After(after, BatchLimit);
            return new StoreChangeBatch(changes, changes.Count > 0 ? changes[^1].Revision : after, ResetRequired: false);
        }
    }

    private async Task WatchLoopAsync()
    {
        int failures = 0;
        while (!_stopping.IsCancellationRequested)
        {
            if (await ParkIfSuspendedAsync().ConfigureAwait(false))
            {
                continue;
            }

            EtcdEndpoint endpoint = _connection.Current;
            using var stream = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            lock (_lock)
            {
                _stream = stream;
            }

            try
            {
                if (await FollowAsync(endpoint, stream.Token).ConfigureAwait(false))
                {
                    failures = 0;
                }
            }
            catch (Exception e) when (e is RpcException or IOException or OperationCanceledException or StoreUnavailableException)
            {
                if (_stopping.IsCancellationRequested || stream.IsCancellationRequested)
                {
                    continue;
                }

                // A broken stream: resume from W+1 on the next member after a short, growing pause.
                _connection.Failover(endpoint);
                failures++;
                TimeSpan pause = TimeSpan.FromMilliseconds(Math.Min(1000, 50 << Math.Min(failures, 5)));
                try
                {
                    await Task.Delay(pause, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Waits while a test keeps the watch suspended; true when it did.</summary>
    private async Task<bool> ParkIfSuspendedAsync()
    {
        TaskCompletionSource? resume;
        lock (_lock)
        {
            resume = _resume;
            _parked?.TrySetResult();
            _parked = null;
        }

        if (resume is null || resume.Task.IsCompleted)
        {
            return false;
        }

        await resume.Task.ConfigureAwait(false);
        return true;
    }

    /// <summary>One watch stream from W+1 until it ends; true when it delivered anything.</summary>
    private async Task<bool> FollowAsync(EtcdEndpoint endpoint, CancellationToken cancellationToken)
    {
        long from;
        lock (_lock)
        {
            from = _watched + 1;
        }

        using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call = endpoint.Watch.Watch(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = EtcdKeys.Bytes(_keys.Root),
                RangeEnd = EtcdKeys.PrefixEnd(_keys.Root),
                StartRevision = from,
                ProgressNotify = true,
            },
        }, cancellationToken).ConfigureAwait(false);

        bool delivered = false;
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            WatchResponse response = call.ResponseStream.Current;
            if (response.CompactRevision != 0)
            {
                await RecoverFromCompactionAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }

            if (response.Canceled)
            {
                return delivered;
            }

            if (!response.Created)
            {
                Apply(response);
                delivered = true;
            }
        }

        return delivered;
    }

    private void Apply(WatchResponse response)
    {
        lock (_lock)
        {
            if (response.Events.Count == 0)
            {
                // A progress notification: etcd sends one only to a watcher that has caught up to the header.
                _watched = Math.Max(_watched, response.Header.Revision);
            }
            else
            {
                _ring.Append(response.Events.Select(ToChange).OfType<StoreChange>());
                foreach (Event e in response.Events)
                {
                    _watched = Math.Max(_watched, e.Kv.ModRevision);
                    if (e.Kv.Key.ToStringUtf8() == _keys.Revision && e.Type == Event.Types.EventType.Put)
                    {
                        _prefixRevision = Math.Max(_prefixRevision, e.Kv.ModRevision);
                    }
                }
            }

            Signal();
        }
    }

    /// <summary>The watch's start revision was compacted away: whatever happened since W is unknowable from history.</summary>
    private async Task RecoverFromCompactionAsync(CancellationToken cancellationToken)
    {
        (long marker, long header) = await ReadMarkerAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (marker > _watched)
            {
                // This store wrote in the gap: readers from before it must prime again.
                _ring.Reset(marker);
                _prefixRevision = marker;
            }

            _watched = Math.Max(_watched, header);
            Signal();
        }
    }

    private StoreChange? ToChange(Event e)
    {
        string key = e.Kv.Key.ToStringUtf8();
        long revision = e.Kv.ModRevision;
        bool put = e.Type == Event.Types.EventType.Put;
        if (_keys.ParseAllocation(key) is { } allocation)
        {
            return new StoreChange(
                revision, put ? StoreChangeKind.AllocationAdded : StoreChangeKind.AllocationRemoved, allocation.Pool, allocation.Address);
        }

        if (EtcdKeys.After(_keys.Pools, key) is { } pool)
        {
            return new StoreChange(revision, StoreChangeKind.PoolsChanged, pool, null);
        }

        if (EtcdKeys.After(_keys.Reserved, key) is { } reserved)
        {
            return new StoreChange(revision, StoreChangeKind.ReservedChanged, null, Documents.StoredText.Address(reserved));
        }

        if (EtcdKeys.After(_keys.Quarantine, key) is { } quarantined)
        {
            // A delete event carries no value, so the pool is not known here; readers re-list the quarantine.
            return new StoreChange(revision, StoreChangeKind.QuarantineChanged, null, Documents.StoredText.Address(quarantined));
        }

        // The marker, pool set, attachments and nodes are not journalled changes.
        return null;
    }

    /// <summary>The marker's mod_revision (this store's current revision, 0 before any write) and etcd's revision.</summary>
    public Task<(long Marker, long Header)> ReadMarkerAsync(CancellationToken cancellationToken) =>
        _connection.CallAsync("reading the store's revision", EtcdConnection.Kind.Read, async (endpoint, options) =>
        {
            RangeResponse response = await endpoint.Kv.RangeAsync(new RangeRequest { Key = EtcdKeys.Bytes(_keys.Revision) }, options)
                .ConfigureAwait(false);
            return (response.Kvs.Count > 0 ? response.Kvs[0].ModRevision : 0L, response.Header.Revision);
        }, cancellationToken);

    private void Signal()
    {
        _progress.TrySetResult();
        _progress = NewSignal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
