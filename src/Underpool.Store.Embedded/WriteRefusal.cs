using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Underpool.Store.Embedded;

/// <summary>Whether the file refuses writes (disk full, read-only, I/O errors), as the newest write found it: a write
/// that fails this way records why, and a write that commits clears it, except that a full disk is over only once the
/// volume has room for the smallest write-ahead log again (a commit of a page or two can slip into space a failed
/// commit left behind while every ADD still fails). Readiness reads it, so STATUS costs no write while the store is
/// healthy (kubelet asks every 10 s) and says "not ready" while ADDs would fail.</summary>
internal sealed class WriteRefusal(WalBudget budget)
{
    /// <summary>Room a full disk must have again before writes count as possible: the smallest log the store keeps.</summary>
    public const long RoomAfterFull = WalBudget.FewestPages * WalBudget.PageBytes;

    private string? _reason;
    private bool _full;

    /// <summary>Why the newest write failed, when it failed because the file cannot be written; null otherwise.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>The newest refusal was a full disk: the next write first truncates the log, which may be what filled it.</summary>
    public bool WantsCheckpoint => Volatile.Read(ref _full);

    /// <summary>A full disk that still has too little room to try a write.</summary>
    public bool StillFull => WantsCheckpoint && budget.FreeBytes() < RoomAfterFull;

    /// <summary>What a write failure means for writes in general: null for a failure of this one write (a constraint,
    /// a busy lock), else why the file cannot take writes now.</summary>
    public static string? Describe(SqliteException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.SqliteErrorCode switch
        {
            raw.SQLITE_FULL => "disk full: its volume has no space left for the write-ahead log or the database",
            raw.SQLITE_READONLY => "its file or file system is read-only",
            raw.SQLITE_IOERR => "the file system reported an I/O error",
            raw.SQLITE_CANTOPEN => "its file cannot be opened",
            _ => null,
        };
    }

    /// <summary>Records <paramref name="failure"/> when it is a refusal and returns what was recorded (null, recording
    /// nothing, when it is not).</summary>
    public string? Observe(SqliteException failure)
    {
        if (Describe(failure) is not { } kind)
        {
            return null;
        }

        string reason = $"{kind} ({failure.Message.TrimEnd('.')})";
        Volatile.Write(ref _reason, reason);
        Volatile.Write(ref _full, failure.SqliteErrorCode == raw.SQLITE_FULL);
        return reason;
    }

    /// <summary>A write committed: the refusal is over, unless it was a full disk that still has too little room.</summary>
    public void Committed()
    {
        if (Volatile.Read(ref _reason) is null || StillFull)
        {
            return;
        }

        Volatile.Write(ref _reason, null);
        Volatile.Write(ref _full, false);
    }
}
