using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Underpool.Store.Embedded;

/// <summary>One connection and one transaction: a consistent read, or a write that holds the write lock from
/// its first statement. Disposing without <see cref="Commit"/> rolls back.</summary>
internal sealed class StoreSession : IDisposable
{
    private readonly SqliteConnectionSource _source;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly bool _writes;

    // The process-wide write gate this session holds (write sessions only), released once on Dispose.
    private SemaphoreSlim? _writeGate;

    private StoreSession(SqliteConnectionSource source, SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim? writeGate)
    {
        _source = source;
        _connection = connection;
        _transaction = transaction;
        _writeGate = writeGate;
        _writes = writeGate is not null;
    }

    /// <summary>BEGIN IMMEDIATE: takes the write lock up front (waiting up to the busy timeout), so two processes
    /// never both read under a shared lock and then deadlock upgrading it (SQLITE_BUSY_SNAPSHOT in WAL).</summary>
    public static Task<StoreSession> BeginWriteAsync(SqliteConnectionSource source, CancellationToken cancellationToken) =>
        BeginAsync(source, deferred: false, cancellationToken);

    /// <summary>BEGIN (deferred): every statement of the session reads the same snapshot.</summary>
    public static Task<StoreSession> BeginReadAsync(SqliteConnectionSource source, CancellationToken cancellationToken) =>
        BeginAsync(source, deferred: true, cancellationToken);

    public SqliteCommand Command(string sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
#pragma warning disable CA2100 // Every caller passes constant SQL (or constant fragments); values travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    /// <summary>Commits. A write that fails because the file cannot take writes (in WAL mode the log is written here)
    /// is recorded for readiness and thrown as <see cref="StoreUnavailableException"/>, which callers retry.</summary>
    public void Commit()
    {
        try
        {
            _transaction.Commit();
        }
        catch (SqliteException e) when (_writes && _source.Refusal.Observe(e) is { } reason)
        {
            throw Refused(_source, e, reason);
        }

        if (_writes)
        {
            _source.Committed();
            _source.Refusal.Committed();
        }
    }

    public void Dispose()
    {
        try
        {
            _transaction.Dispose();
            _connection.Dispose();
        }
        finally
        {
            Interlocked.Exchange(ref _writeGate, null)?.Release();
        }
    }

    private static async Task<StoreSession> BeginAsync(SqliteConnectionSource source, bool deferred, CancellationToken cancellationToken)
    {
        // Writers of this process queue here rather than in SQLite's busy handler (see WriteGate).
        SemaphoreSlim? gate = deferred ? null : source.WriteGate;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        SqliteConnection? connection = null;
        try
        {
            connection = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (gate is not null && source.Refusal.WantsCheckpoint)
            {
                await TruncateLogAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            // Microsoft.Data.Sqlite issues "BEGIN IMMEDIATE" for a non-deferred serializable transaction.
            SqliteTransaction transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred);
            return new StoreSession(source, connection, transaction, gate);
        }
        catch (Exception e)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            gate?.Release();
            if (gate is not null && e is SqliteException sqlite && source.Refusal.Observe(sqlite) is { } reason)
            {
                throw Refused(source, sqlite, reason);
            }

            throw;
        }
    }

    /// <summary>After a full disk: moves the log into the database and cuts it to nothing, which frees the log's space
    /// when it was the log that filled the volume. Best effort: when even that fails, the write that follows reports it.</summary>
    private static async Task TruncateLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using SqliteCommand checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        try
        {
            await checkpoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
        }
    }

    // Nothing was changed: a WAL commit counts only once its last frame is written, and a refused open or BEGIN wrote
    // nothing; only an I/O error leaves that in doubt.
    private static StoreUnavailableException Refused(SqliteConnectionSource source, SqliteException e, string reason) =>
        new(source.Description, "writing", reason, nothingChanged: e.SqliteErrorCode != raw.SQLITE_IOERR, e);
}
