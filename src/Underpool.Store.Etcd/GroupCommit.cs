using Etcdserverpb;

namespace Underpool.Store.Etcd;

/// <summary><see cref="IIpamStore.TryCommitAsync"/> on etcd under concurrency: the single commits one store makes at
/// the same moment go to etcd as one transaction, so a busy agent pays etcd's per-transaction cost (a raft entry, an
/// fsync, a gRPC call) once for many ADDs instead of once each.</summary>
/// <remarks>
/// A commit that finds fewer than <see cref="MaxInFlight"/> transactions under way goes alone at once, exactly as a
/// single commit; one arriving while they are under way waits in a queue, and whenever one finishes the queue's head
/// goes out as one <see cref="GroupTransaction"/> (as many as it takes, in arrival order). So no commit waits for a
/// timer, and an idle agent's ADD costs what it always did; a queued commit waits at most for the transaction under way
/// (itself bounded by the call timeout) before its own goes.
/// A group is all or nothing with every single commit's compares, so a refused group wrote nothing: each of its
/// commits is then sent again on its own, concurrently, and gets its exact outcome (a collision fails only its own ADD).
/// A group whose answer was lost is settled commit by commit (<see cref="AttachmentWrites.SettleAsync"/>); one that
/// certainly changed nothing fails each of its commits with that error.
/// </remarks>
internal sealed class GroupCommit(EtcdKv kv, EtcdKeys keys, AttachmentWrites single)
{
    /// <summary>Transactions under way at once before commits queue. One: every commit arriving meanwhile joins the next
    /// group (with 16 clients on 3 agents, 0.40 transactions per ADD; with two under way, 0.64 and more etcd CPU).</summary>
    public const int MaxInFlight = 1;

    private readonly Lock _lock = new();
    private readonly Queue<Waiter> _queue = new();
    private int _inFlight;
    private long _groups;

    // Test hook (Hold/Release): every commit queues until Release, so a test knows which commits share a transaction.
    private bool _held;

    /// <summary>How many transactions of more than one commit this store has sent (tests and benchmarks read it).</summary>
    public long GroupsSent => Interlocked.Read(ref _groups);

    public Task<CommitOutcome> TryCommitAsync(IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        AttachmentKey attachment = CommitRecords.SingleAttachment(records);
        if (AttachmentWrites.Generations(records) is not { } pools)
        {
            return Task.FromResult(CommitOutcome.StaleView);
        }

        var waiter = new Waiter(new CommitEntry(0, attachment, records, pools), cancellationToken);
        lock (_lock)
        {
            if (_held || _inFlight >= MaxInFlight || _queue.Count > 0)
            {
                _queue.Enqueue(waiter);
                return waiter.Outcome.Task;
            }

            _inFlight++;
        }

        return AloneAsync(records, cancellationToken);
    }

    /// <summary>Test hook: commits from now on wait in the queue until <see cref="Release"/>.</summary>
    internal void Hold()
    {
        lock (_lock)
        {
            _held = true;
        }
    }

    /// <summary>Test hook: the queue goes out as it does whenever a slot frees (one group per free slot).</summary>
    internal void Release()
    {
        List<List<Waiter>> groups;
        lock (_lock)
        {
            _held = false;
            groups = TakeGroupsLocked();
        }

        Start(groups);
    }

    /// <summary>A commit that found a free slot: the single path with the caller's token, then the queue's turn.</summary>
    private async Task<CommitOutcome> AloneAsync(IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        try
        {
            return await single.TryCommitAsync(records, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Finished();
        }
    }

    /// <summary>A transaction ended: its slot goes to the queue's head, as many commits as one transaction takes.</summary>
    private void Finished()
    {
        List<List<Waiter>> groups;
        lock (_lock)
        {
            _inFlight--;
            groups = TakeGroupsLocked();
        }

        Start(groups);
    }

    /// <summary>A group off the queue for each free slot, each slot then taken.</summary>
    private List<List<Waiter>> TakeGroupsLocked()
    {
        var groups = new List<List<Waiter>>();
        while (!_held && _inFlight < MaxInFlight && Dequeue() is { Count: > 0 } group)
        {
            _inFlight++;
            groups.Add(group);
        }

        return groups;
    }

    /// <summary>Sends each group as its own task: not under the lock, and not on the stack of the one that finished.</summary>
    private void Start(List<List<Waiter>> groups)
    {
        foreach (List<Waiter> group in groups)
        {
            _ = Task.Run(() => SendAsync(group));
        }
    }

    /// <summary>The queue's head that fits one transaction; commits whose caller gave up before it went are dropped.</summary>
    private List<Waiter> Dequeue()
    {
        var group = new List<Waiter>();
        var txn = new GroupTransaction(keys);
        while (_queue.TryPeek(out Waiter? next))
        {
            if (next.CancellationToken.IsCancellationRequested)
            {
                _queue.Dequeue().Outcome.TrySetCanceled(next.CancellationToken);
                continue;
            }

            if (!txn.TryAdd(next.Entry))
            {
                break;
            }

            group.Add(_queue.Dequeue());
        }

        return group;
    }

    private async Task SendAsync(List<Waiter> group)
    {
        try
        {
            if (group.Count == 1)
            {
                await CompleteWithAsync(group[0], () => single.TryCommitAsync(group[0].Entry.Records, group[0].CancellationToken)).ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref _groups);
            await SendGroupAsync(group).ConfigureAwait(false);
        }
        finally
        {
            Finished();
        }
    }

    private async Task SendGroupAsync(List<Waiter> group)
    {
        TxnResponse response;
        try
        {
            // No caller's token: the group is every caller's; the call's deadline bounds it.
            TxnRequest txn = GroupTransaction.Of(keys, group.Select(w => w.Entry)).Build();
            response = await kv.TxnAsync($"committing {group.Count} attachments", EtcdConnection.Kind.Write, txn, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (StoreUnavailableException e) when (!e.NothingChanged)
        {
            await Task.WhenAll(group.Select(w => CompleteWithAsync(w, () => single.SettleAsync(w.Entry.Records, CancellationToken.None)))).ConfigureAwait(false);
            return;
        }
        catch (Exception e)
        {
            group.ForEach(w => w.Outcome.TrySetException(e));
            return;
        }

        if (response.Succeeded)
        {
            group.ForEach(w => w.Outcome.TrySetResult(CommitOutcome.Committed));
            return;
        }

        // Refused: nothing was written; each commit alone finds its own outcome.
        await Task.WhenAll(group.Select(w => CompleteWithAsync(w, () => single.TryCommitAsync(w.Entry.Records, CancellationToken.None)))).ConfigureAwait(false);
    }

    /// <summary>Completes the waiter with what <paramref name="commit"/> gives, result or failure.</summary>
    private static async Task CompleteWithAsync(Waiter waiter, Func<Task<CommitOutcome>> commit)
    {
        try
        {
            waiter.Outcome.TrySetResult(await commit().ConfigureAwait(false));
        }
        catch (Exception e)
        {
            waiter.Outcome.TrySetException(e);
        }
    }

    private sealed record Waiter(CommitEntry Entry, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<CommitOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
