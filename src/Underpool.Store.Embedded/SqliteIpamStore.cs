using Microsoft.Data.Sqlite;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Store.Embedded;

/// <summary>The embedded store: one SQLite file in WAL mode that every agent on one host may share.</summary>
/// <remarks>Each call takes a pooled connection and runs in one transaction; every write starts with BEGIN
/// IMMEDIATE and journals its changes in the same transaction, so readers of the journal never miss a commit.</remarks>
public sealed class SqliteIpamStore : IIpamStore
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = "underpool.db";

    private readonly string _dataDirectory;
    private readonly SqliteConnectionSource _connections;
    private readonly ChangeJournal _journal;
    private readonly StoreMaintenance _maintenance;

    /// <summary>Uses (and on <see cref="InitializeAsync"/> creates) <c>underpool.db</c> in <paramref name="dataDirectory"/>.</summary>
    public SqliteIpamStore(string dataDirectory)
        : this(dataDirectory, journalKeep: 50_000, journalPruneEvery: 1_000)
    {
    }

    /// <param name="journalKeep">How many of the newest journal rows a prune keeps.</param>
    /// <param name="journalPruneEvery">Prune when a revision is a multiple of this.</param>
    /// <param name="maintenanceInterval">How often to look for a pause in writes to reclaim space (default 10 s).</param>
    /// <param name="busyTimeout">How long a call waits for another connection's write lock (default 5 s).</param>
    internal SqliteIpamStore(
        string dataDirectory, int journalKeep, int journalPruneEvery, TimeSpan? maintenanceInterval = null, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _dataDirectory = Path.GetFullPath(dataDirectory);
        DatabasePath = Path.Combine(_dataDirectory, FileName);
        _connections = new SqliteConnectionSource(DatabasePath, Description, busyTimeout ?? SqliteConnectionSource.DefaultBusyTimeout);
        _journal = new ChangeJournal(journalKeep, journalPruneEvery);
        _maintenance = new StoreMaintenance(_connections, maintenanceInterval ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    public string Description => $"embedded SQLite ({DatabasePath})";

    /// <remarks>A data directory that cannot work (it cannot be created or written, the file is not a database or of a
    /// newer schema) throws an <see cref="IOException"/> or <see cref="InvalidOperationException"/> naming the file: no
    /// wait fixes those, and the agent turns them into one line and exit 1, where an operator looks first (systemd
    /// status, the pod's last log line), rather than serving "not ready" forever. What passes by itself (a full disk,
    /// another agent holding the file's lock) is a <see cref="StoreUnavailableException"/>: the agent starts not ready
    /// and tries again.</remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            CreateDataDirectory();
            await StoreSchema.InitializeAsync(_connections, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e) when (!Passes(e.InnerException))
        {
            throw CannotUse(e.InnerException ?? e);
        }
        catch (SqliteException e) when (Passes(e))
        {
            throw new StoreUnavailableException(Description, "opening the store", e.Message.TrimEnd('.'), nothingChanged: true, e);
        }
        catch (Exception e) when (e is SqliteException or UnauthorizedAccessException || (e is IOException && e is not StoreUnavailableException))
        {
            throw CannotUse(e);
        }

        _maintenance.Start();
    }

    /// <summary>Answers when the file can be read, and, once a write has been refused, only when writes can go through
    /// again: a full disk while its volume has no room, otherwise a probe write (only in that state, so a healthy
    /// store's STATUS costs no write).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        if (_connections.Refusal.StillFull)
        {
            throw RefusesWrites(_connections.Refusal.Reason, inner: null);
        }

        if (_connections.Refusal.Reason is not null)
        {
            await ProbeWriteAsync(cancellationToken).ConfigureAwait(false);
        }

        await ReadAsync(
            "reading the schema version",
            session => StoreSchema.ReadMetaAsync(session, StoreSchema.SchemaVersionKey, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reclaims free pages and truncates the write-ahead log now (the store also does it by itself once writes
    /// pause).</summary>
    internal Task MaintainAsync(CancellationToken cancellationToken) => _maintenance.RunOnceAsync(cancellationToken);

    public async Task<PoolsSnapshot> ListPoolsAsync(CancellationToken cancellationToken)
    {
        return await ReadAsync("listing pools", async session =>
        {
            long revision = await StoreSchema.ReadMetaAsync(session, StoreSchema.PoolsRevisionKey, cancellationToken).ConfigureAwait(false);
            List<PoolSpec> pools = await PoolRows.ListAsync(session, cancellationToken).ConfigureAwait(false);
            return new PoolsSnapshot(pools, revision);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PoolSpec?> GetPoolAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await ReadAsync("reading a pool", async session =>
        {
            return await PoolRows.GetAsync(session, name, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PoolCreateStatus> CreatePoolAsync(PoolSpec pool, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return await WriteAsync("creating a pool", async session =>
        {
            if (await PoolRows.ExistsAsync(session, pool.Name, cancellationToken).ConfigureAwait(false))
            {
                return PoolCreateStatus.NameTaken;
            }

            if (await StoreSchema.ReadMetaAsync(session, StoreSchema.PoolsRevisionKey, cancellationToken).ConfigureAwait(false) != expectedRevision)
            {
                return PoolCreateStatus.Stale;
            }

            long generation = await StoreSchema.BumpPoolsRevisionAsync(session, cancellationToken).ConfigureAwait(false);
            await PoolRows.InsertAsync(session, pool, generation, cancellationToken).ConfigureAwait(false);
            await _journal.AppendAsync(session, StoreChangeKind.PoolsChanged, pool.Name, address: null, cancellationToken).ConfigureAwait(false);
            session.Commit();
            return PoolCreateStatus.Created;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PoolUpdateStatus> UpdatePoolAsync(PoolSpec pool, PoolUpdateGuard guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(guard);
        return await WriteAsync("updating a pool", async session =>
        {
            long? generation = await PoolRows.GenerationAsync(session, pool.Name, cancellationToken).ConfigureAwait(false);
            if (generation is null)
            {
                return PoolUpdateStatus.NotFound;
            }

            if (generation != guard.Generation
                || (guard.PoolSetRevision is { } revision
                    && await StoreSchema.ReadMetaAsync(session, StoreSchema.PoolsRevisionKey, cancellationToken).ConfigureAwait(false) != revision))
            {
                return PoolUpdateStatus.Stale;
            }

            if (await AllocationRows.AnyHeldAsync(session, pool.Name, guard.MustBeFree, cancellationToken).ConfigureAwait(false))
            {
                return PoolUpdateStatus.InUse;
            }

            // A new generation from the pools revision, as a created pool gets: never one an earlier spec had.
            long next = await StoreSchema.BumpPoolsRevisionAsync(session, cancellationToken).ConfigureAwait(false);
            await PoolRows.UpdateAsync(session, pool, next, cancellationToken).ConfigureAwait(false);
            await _journal.AppendAsync(session, StoreChangeKind.PoolsChanged, pool.Name, address: null, cancellationToken).ConfigureAwait(false);
            session.Commit();
            return PoolUpdateStatus.Updated;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PoolDeleteOutcome> DeletePoolAsync(string name, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await WriteAsync("deleting a pool", async session =>
        {
            if (!await PoolRows.ExistsAsync(session, name, cancellationToken).ConfigureAwait(false))
            {
                return new PoolDeleteOutcome(PoolDeleteStatus.NotFound, 0);
            }

            long count = await AllocationRows.CountInPoolAsync(session, name, cancellationToken).ConfigureAwait(false);
            if (count > 0 && !force)
            {
                return new PoolDeleteOutcome(PoolDeleteStatus.InUse, count);
            }

            long released = 0;
            if (count > 0)
            {
                foreach (AllocationRecord record in await AllocationRows.DeleteAttachmentsInPoolAsync(session, name, cancellationToken).ConfigureAwait(false))
                {
                    await _journal.AppendAsync(session, StoreChangeKind.AllocationRemoved, record.Pool, record.Address, cancellationToken)
                        .ConfigureAwait(false);
                    released++;
                }
            }

            await PoolRows.DeleteAsync(session, name, cancellationToken).ConfigureAwait(false);
            await StoreSchema.BumpPoolsRevisionAsync(session, cancellationToken).ConfigureAwait(false);
            await _journal.AppendAsync(session, StoreChangeKind.PoolsChanged, name, address: null, cancellationToken).ConfigureAwait(false);
            session.Commit();
            return new PoolDeleteOutcome(PoolDeleteStatus.Deleted, released);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IpAddress>> ListReservedAsync(CancellationToken cancellationToken)
    {
        return await ReadAsync("listing reserved addresses", async session =>
        {
            return await ReservedRows.ListAsync(session, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<IpAddress>> AddReservedAsync(IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        ChangeReservedAsync(addresses, ReservedRows.AddAsync, cancellationToken);

    public Task<IReadOnlyList<IpAddress>> RemoveReservedAsync(IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        ChangeReservedAsync(addresses, ReservedRows.RemoveAsync, cancellationToken);

    public async Task<AllocationRecord?> GetAllocationAsync(string pool, IpAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return await ReadAsync("reading an allocation", async session =>
        {
            return await AllocationRows.GetAsync(session, pool, address, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AllocationRecord>> GetAttachmentAsync(AttachmentKey attachment, CancellationToken cancellationToken)
    {
        return await ReadAsync("reading an attachment", async session =>
        {
            return await AllocationRows.GetAttachmentAsync(session, attachment, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CommitOutcome> TryCommitAsync(IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        AttachmentKey attachment = CommitRecords.SingleAttachment(records);
        return await WriteAsync("committing addresses", async session =>
        {
            CommitOutcome outcome = await new AttachmentCommit(session, _journal).WriteAsync(attachment, records, cancellationToken).ConfigureAwait(false);
            if (outcome.Status == CommitStatus.Committed)
            {
                session.Commit();
            }

            return outcome;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One transaction for the whole list: each attachment checked and written in turn under the write lock,
    /// so a refused one leaves nothing behind and the next sees every earlier one that was written.</summary>
    public async Task<IReadOnlyList<CommitOutcome>> TryCommitManyAsync(
        IReadOnlyList<IReadOnlyList<AllocationRecord>> attachments, CancellationToken cancellationToken)
    {
        AttachmentKey[] keys = CommitRecords.Attachments(attachments);
        if (keys.Length == 0)
        {
            return [];
        }

        return await WriteAsync("committing imported addresses", async session =>
        {
            var commit = new AttachmentCommit(session, _journal);
            var outcomes = new CommitOutcome[keys.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                outcomes[i] = await commit.WriteAsync(keys[i], attachments[i], cancellationToken).ConfigureAwait(false);
            }

            session.Commit();
            return (IReadOnlyList<CommitOutcome>)outcomes;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AllocationRecord>> ReleaseAttachmentAsync(AttachmentKey attachment, CancellationToken cancellationToken)
    {
        return await WriteAsync("releasing an attachment", async session =>
        {
            List<AllocationRecord> released = await AllocationRows.DeleteAttachmentAsync(session, attachment, cancellationToken).ConfigureAwait(false);
            foreach (AllocationRecord record in released)
            {
                await _journal.AppendAsync(session, StoreChangeKind.AllocationRemoved, record.Pool, record.Address, cancellationToken).ConfigureAwait(false);
            }

            session.Commit();
            return released;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ReplaceAttachmentAsync(
        IReadOnlyList<AllocationRecord> expected, IReadOnlyList<AllocationRecord> replacement, CancellationToken cancellationToken)
    {
        AttachmentKey attachment = AttachmentReplacement.Validate(expected, replacement);
        return await WriteAsync("updating an attachment", async session =>
        {
            List<AllocationRecord> stored = await AllocationRows.GetAttachmentAsync(session, attachment, cancellationToken).ConfigureAwait(false);
            if (!AttachmentReplacement.SameRecords(stored, expected))
            {
                return false;
            }

            await AllocationRows.UpdateOwnersAsync(session, replacement, cancellationToken).ConfigureAwait(false);
            session.Commit();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AllocationRecord>> ListAllocationsAsync(AllocationFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await ReadAsync("listing allocations", async session =>
        {
            return await AllocationRows.ListAsync(session, filter, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountAllocationsByPoolAsync(CancellationToken cancellationToken)
    {
        return await ReadAsync("counting allocations", async session =>
        {
            return await AllocationRows.CountByPoolAsync(session, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task HeartbeatNodeAsync(
        string name,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyCollection<string> uplinkMacs,
        TimeSpan ttl,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(uplinkMacs);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        await WriteAsync("recording the node heartbeat", async session =>
        {
            await NodeRows.UpsertAsync(session, name, labels, uplinkMacs, DateTimeOffset.UtcNow, ttl, cancellationToken).ConfigureAwait(false);
            session.Commit();
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken)
    {
        return await ReadAsync("listing nodes", async session =>
        {
            return await NodeRows.ListAsync(session, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryHoldLeaseAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return await WriteAsync("holding a lease", async session =>
        {

            // Under the write lock: taking a free or expired lease, or renewing one's own, cannot race another holder.
            using SqliteCommand take = session.Command("""
                INSERT INTO leases (name, holder, expires_at) VALUES ($name, $holder, $expires)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE leases.holder = excluded.holder OR leases.expires_at <= $now
                """)
                .Bind("$name", name)
                .Bind("$holder", holder)
                .Bind("$expires", StoredValues.Text(now + ttl))
                .Bind("$now", StoredValues.Text(now));
            bool held = await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            session.Commit();
            return held;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> QuarantineAsync(QuarantineRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return await WriteAsync("quarantining an address", async session =>
        {
            QuarantineRecord? before = await QuarantineRows.GetAsync(session, record.Address, cancellationToken).ConfigureAwait(false);

            // DateTimeOffset equality compares instants, so the same record given with another UTC offset changes nothing.
            if (before == record)
            {
                return false;
            }

            await QuarantineRows.UpsertAsync(session, record, cancellationToken).ConfigureAwait(false);
            await _journal.AppendAsync(session, StoreChangeKind.QuarantineChanged, record.Pool, record.Address, cancellationToken).ConfigureAwait(false);
            session.Commit();
            return before is null;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QuarantineRecord>> ListQuarantineAsync(CancellationToken cancellationToken)
    {
        return await ReadAsync("listing quarantined addresses", async session =>
        {
            return await QuarantineRows.ListAsync(session, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveQuarantineAsync(IpAddress address, CancellationToken cancellationToken)
    {
        return await WriteAsync("freeing a quarantined address", async session =>
        {
            QuarantineRecord? before = await QuarantineRows.GetAsync(session, address, cancellationToken).ConfigureAwait(false);
            if (before is null || !await QuarantineRows.DeleteAsync(session, address, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await _journal.AppendAsync(session, StoreChangeKind.QuarantineChanged, before.Pool, address, cancellationToken).ConfigureAwait(false);
            session.Commit();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CurrentRevisionAsync(CancellationToken cancellationToken)
    {
        return await ReadAsync("reading the change journal", async session =>
        {
            return await ChangeJournal.CurrentAsync(session, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoreChangeBatch> ReadChangesAsync(long afterRevision, CancellationToken cancellationToken)
    {
        return await ReadAsync("reading the change journal", async session =>
        {
            return await ChangeJournal.ReadAsync(session, afterRevision, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _maintenance.DisposeAsync().ConfigureAwait(false);
        _connections.ClearPool();
    }

    private Task<T> ReadAsync<T>(string failed, Func<StoreSession, Task<T>> read, CancellationToken cancellationToken) =>
        CallAsync(failed, writes: false, read, cancellationToken);

    private Task<T> WriteAsync<T>(string failed, Func<StoreSession, Task<T>> write, CancellationToken cancellationToken) =>
        CallAsync(failed, writes: true, write, cancellationToken);

    /// <summary>One call in one session; a SQLite failure of the store's availability leaves as the store's own
    /// <see cref="StoreUnavailableException"/> (<see cref="SqliteFailures"/>).</summary>
    private async Task<T> CallAsync<T>(string failed, bool writes, Func<StoreSession, Task<T>> body, CancellationToken cancellationToken)
    {
        try
        {
            using StoreSession session = writes
                ? await StoreSession.BeginWriteAsync(_connections, cancellationToken).ConfigureAwait(false)
                : await StoreSession.BeginReadAsync(_connections, cancellationToken).ConfigureAwait(false);
            return await body(session).ConfigureAwait(false);
        }
        catch (SqliteException e) when (SqliteFailures.Translate(_connections, e, failed, writes) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private Task<bool> WriteAsync(string failed, Func<StoreSession, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(
            failed,
            async session =>
            {
                await write(session).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    private static bool Passes(Exception? failure) =>
        failure is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_FULL or SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED };

    private IOException CannotUse(Exception failure) => new(
        $"cannot use {DatabasePath}: {failure.Message.TrimEnd('.')}; --data-dir must be a directory on a local file system that the agent can write",
        failure);

    private void CreateDataDirectory()
    {
        if (Directory.Exists(_dataDirectory))
        {
            return;
        }

        // Allocations name pods and containers: only the agent's user may read them.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_dataDirectory);
        }
        else
        {
            Directory.CreateDirectory(_dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>A write that changes nothing (the schema version set to itself), to learn whether writes go through.</summary>
    private async Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync("probing a write", async session =>
            {
                using SqliteCommand touch = session.Command("UPDATE meta SET value = value WHERE key = $key").Bind("$key", StoreSchema.SchemaVersionKey);
                await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                session.Commit();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            throw RefusesWrites(_connections.Refusal.Reason ?? e.Message, e);
        }
    }

    private StoreUnavailableException RefusesWrites(string? reason, Exception? inner)
    {
        string message = $"{Description} refuses writes: {reason}; ADDs fail until that is fixed";
        return inner is null
            ? new StoreUnavailableException(message) { RefusesWrites = true }
            : new StoreUnavailableException(message, inner) { RefusesWrites = true };
    }

    private async Task<IReadOnlyList<IpAddress>> ChangeReservedAsync(
        IReadOnlyList<IpAddress> addresses,
        Func<StoreSession, IReadOnlyList<IpAddress>, CancellationToken, Task<List<IpAddress>>> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0)
        {
            return [];
        }

        return await WriteAsync("changing reserved addresses", async session =>
        {
            List<IpAddress> changed = await change(session, addresses, cancellationToken).ConfigureAwait(false);
            await _journal.AppendAsync(session, StoreChangeKind.ReservedChanged, pool: null, changed.Select(a => (IpAddress?)a), cancellationToken)
                .ConfigureAwait(false);
            session.Commit();
            return changed;
        }, cancellationToken).ConfigureAwait(false);
    }
}
