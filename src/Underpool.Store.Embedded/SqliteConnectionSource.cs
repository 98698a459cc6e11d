using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Underpool.Store.Embedded;

/// <summary>Opens pooled connections to the store's file, each set up with the per-connection PRAGMAs.</summary>
internal sealed class SqliteConnectionSource
{
    /// <summary>How long SQLite itself waits for another connection's (or process's) write lock before it reports
    /// SQLITE_BUSY. Several agents on one machine share the file, and a write transaction lasts well under a
    /// millisecond, so a wait this long only runs out when something is badly stuck.</summary>
    internal const int BusyTimeoutMilliseconds = 5000;

    // busy_timeout, synchronous and foreign_keys belong to a connection, not to the file. Pooled connections keep
    // them, so each native handle is set up once instead of paying three statements on every call; the checkpoint
    // threshold is set again only when the WAL budget has changed since.
    private static readonly ConditionalWeakTable<sqlite3, StrongBox<int>> Configured = new();

    // synchronous=NORMAL: in WAL mode a commit is appended to the -wal file without an fsync; the fsync happens
    // at checkpoints. That is durable against a crash or kill -9 of the process (the OS has the writes) and never
    // corrupts the file; only an OS crash or power loss can lose the newest commits. Losing those is safe here
    // (an address looks free again while the runtime retries the ADD), and FULL costs ~4x the commit rate
    // (FACTS.md: ~17-23k vs ~4.7k transactions/s on this machine).
    private static readonly string SetUp = $"""
        PRAGMA busy_timeout = {BusyTimeoutMilliseconds};
        PRAGMA synchronous = NORMAL;
        PRAGMA foreign_keys = ON;
        """;

    private readonly string _connectionString;
    private long _commits;
    private long _lastCommitAt;

    public SqliteConnectionSource(string databasePath, string description)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        Description = description;
        Budget = new WalBudget(Path.GetDirectoryName(databasePath) ?? ".");
        Refusal = new WriteRefusal(Budget);
    }

    /// <summary>The store's description, for errors that name it.</summary>
    public string Description { get; }

    /// <summary>One writer at a time within this process. Without it, concurrent requests each open a connection and
    /// BEGIN IMMEDIATE, and the losers sleep on SQLite's busy handler (1-50 ms back-off) instead of queueing: a burst of
    /// DELs measured 108 such sleeps, 1.27 s in all (docs/benchmarks.md). Between processes (agents sharing the file)
    /// the busy handler still arbitrates. Not re-entrant: a store method never opens a write session inside another.</summary>
    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>Whether the newest write found the file unwritable (readiness reads it).</summary>
    public WriteRefusal Refusal { get; }

    public WalBudget Budget { get; }

    /// <summary>Write transactions committed by this process so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>When the newest commit happened (<see cref="Environment.TickCount64"/>).</summary>
    public long LastCommitAt => Interlocked.Read(ref _lastCommitAt);

    public void Committed()
    {
        Interlocked.Exchange(ref _lastCommitAt, Environment.TickCount64);
        Interlocked.Increment(ref _commits);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            sqlite3 handle = connection.Handle ?? throw new InvalidOperationException("an open SQLite connection has no handle");
            int pages = Budget.CheckpointPages;
            if (!Configured.TryGetValue(handle, out StrongBox<int>? applied))
            {
                await ExecuteAsync(connection, SetUp + Checkpointing(pages), cancellationToken).ConfigureAwait(false);
                Configured.AddOrUpdate(handle, new StrongBox<int>(pages));
            }
            else if (applied.Value != pages)
            {
                await ExecuteAsync(connection, Checkpointing(pages), cancellationToken).ConfigureAwait(false);
                applied.Value = pages;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the idle pooled connections to this file, so no file handle outlives the store.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    // journal_size_limit: a checkpoint that restarts the log also cuts the file back to the budget, so one large
    // transaction (a forced pool delete) does not leave a log of its size behind.
    private static string Checkpointing(int pages) =>
        $"PRAGMA wal_autocheckpoint = {pages}; PRAGMA journal_size_limit = {(long)pages * WalBudget.PageBytes};";

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant PRAGMAs with numbers this class computes.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
