using Microsoft.Data.Sqlite;

namespace Underpool.Store.Embedded;

/// <summary>One connection and one transaction: a consistent read, or a write that holds the write lock from
/// its first statement. Disposing without <see cref="Commit"/> rolls back.</summary>
internal sealed class StoreSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    // The process-wide write gate this session holds (write sessions only), released once on Dispose.
    private SemaphoreSlim? _writeGate;

    private StoreSession(SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim? writeGate)
    {
        _connection = connection;
        _transaction = transaction;
        _writeGate = writeGate;
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

    public void Commit() => _transaction.Commit();

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

            // Microsoft.Data.Sqlite issues "BEGIN IMMEDIATE" for a non-deferred serializable transaction.
            SqliteTransaction transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred);
            return new StoreSession(connection, transaction, gate);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            gate?.Release();
            throw;
        }
    }
}
