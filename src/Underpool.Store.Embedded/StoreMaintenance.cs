using Microsoft.Data.Sqlite;

namespace Underpool.Store.Embedded;

/// <summary>What the store does once writes have paused: gives free pages back to the file system (incremental
/// vacuum) and cuts the write-ahead log to nothing (a TRUNCATE checkpoint), so the files shrink after mass releases
/// and an idle agent holds no log at all on a small volume.</summary>
/// <remarks>Only after writes and a quiet second: a busy store's log is kept in check by the commit-time checkpoint
/// (<see cref="WalBudget"/>) and its free pages are reused by the next allocations anyway.</remarks>
internal sealed class StoreMaintenance : IAsyncDisposable
{
    /// <summary>Free pages are given back when there are this many, or when they are a quarter of the file.</summary>
    private const long ReclaimPages = 64;

    private const long QuietMilliseconds = 1000;

    // Maintenance waits this long for another agent's readers or writer, then tries again next round: it must not
    // hold this agent's write gate for the 5 s a write would wait.
    private const int BusyTimeoutMilliseconds = 100;

    private readonly SqliteConnectionSource _source;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private long _maintainedAt;
    private int _disposed;

    public StoreMaintenance(SqliteConnectionSource source, TimeSpan interval)
    {
        _source = source;
        _interval = interval;
    }

    public void Start()
    {
        if (_loop.IsCompleted && Volatile.Read(ref _disposed) == 0)
        {
            _loop = Task.Run(LoopAsync, CancellationToken.None);
        }
    }

    /// <summary>One round now: reclaims free pages if there are enough, then truncates the log.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        bool reclaimed = false;
        await _source.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long commits = _source.Commits;
            SqliteConnection connection = await _source.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}", cancellationToken).ConfigureAwait(false);
                try
                {
                    long free = await ExecuteAsync(connection, "PRAGMA freelist_count", cancellationToken).ConfigureAwait(false);
                    long pages = await ExecuteAsync(connection, "PRAGMA page_count", cancellationToken).ConfigureAwait(false);
                    reclaimed = free > 0 && (free >= ReclaimPages || free * 4 >= pages);
                    if (reclaimed)
                    {
                        await ExecuteAsync(connection, "PRAGMA incremental_vacuum", cancellationToken).ConfigureAwait(false);
                    }

                    await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken).ConfigureAwait(false);
                    _maintainedAt = commits;
                }
                finally
                {
                    await ExecuteAsync(connection, $"PRAGMA busy_timeout = {SqliteConnectionSource.BusyTimeoutMilliseconds}", CancellationToken.None)
                        .ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _source.WriteGate.Release();
        }

        if (reclaimed)
        {
            // After a mass release: the idle pooled connections' page caches (up to 2 MiB each) hold pages of the
            // file as it was; closing them gives that memory back, and the next call opens a fresh one.
            _source.ClearPool();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                bool wrote = _source.Commits != _maintainedAt;
                bool quiet = Environment.TickCount64 - _source.LastCommitAt >= QuietMilliseconds;
                if (!wrote || !quiet)
                {
                    continue;
                }

                try
                {
                    await RunOnceAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Busy, or the disk is full: the next quiet round tries again; writes report their own failures.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private static async Task<long> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant PRAGMAs.
        command.CommandText = sql;
#pragma warning restore CA2100

        // ExecuteScalar stops after the first row; incremental_vacuum frees pages as it is stepped, so step it through.
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long first = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.FieldCount > 0 && !reader.IsDBNull(0)
            ? reader.GetInt64(0)
            : 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
        }

        return first;
    }
}
