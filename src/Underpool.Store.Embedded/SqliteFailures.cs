using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Underpool.Store.Embedded;

/// <summary>The store's own reading of a SQLite failure: what passes or needs a person (a busy or locked file, a full
/// disk, a read-only or failing file system) is a <see cref="StoreUnavailableException"/> saying whether anything was
/// changed, so callers decide by type, the same way for both stores (the agent's retry, 503 / CNI 11); anything else
/// (a constraint, a malformed statement) is a bug and stays what it is.</summary>
internal static class SqliteFailures
{
    /// <summary>The failure as the store reports it, or null when it is not one of the store's availability.</summary>
    /// <param name="failed">What was being done, e.g. "committing the addresses of net1/c1/eth0".</param>
    /// <param name="writes">True for a write session: a refusal is recorded for readiness, and an I/O error may have
    /// left the change in doubt (a WAL commit whose last frame may or may not be on disk).</param>
    public static StoreUnavailableException? Translate(SqliteConnectionSource source, SqliteException failure, string failed, bool writes)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(failure);
        bool refusesWrites = WriteRefusal.Describe(failure) is not null;
        string? reason = Busy(source, failure) ?? (!refusesWrites ? null : writes ? source.Refusal.Observe(failure) : Refusal(failure));
        if (reason is null)
        {
            return null;
        }

        bool nothingChanged = !(writes && failure.SqliteErrorCode == raw.SQLITE_IOERR);
        return new StoreUnavailableException(source.Description, failed, reason, nothingChanged, failure) { RefusesWrites = refusesWrites };
    }

    private static string Refusal(SqliteException failure) => $"{WriteRefusal.Describe(failure)} ({failure.Message.TrimEnd('.')})";

    private static string? Busy(SqliteConnectionSource source, SqliteException failure) => failure.SqliteErrorCode switch
    {
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED =>
            $"another connection held the file's lock for more than {source.BusyTimeout.TotalSeconds:0.#} s ({failure.Message.TrimEnd('.')})",
        _ => null,
    };
}
