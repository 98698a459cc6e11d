namespace Underpool.Store.Embedded;

/// <summary>How large the write-ahead log may grow before a commit checkpoints it back into the database: SQLite's
/// default of 1000 pages (4 MiB) while the volume has room, down to 16 pages (64 KiB) as it fills.</summary>
/// <remarks>A checkpoint costs two fsyncs, and on this project's test machine checkpointing every 64 pages instead of
/// every 1000 cut single-row commits from ~4,500/s to ~550/s; but a 4 MiB log on a small volume is the volume (a 512 KiB
/// one held 18 dual-stack ADDs, all of them in the log). So the log may take an eighth of the space left, which costs
/// nothing while more than 32 MiB are free and keeps the log from filling a volume that is nearly full.</remarks>
internal sealed class WalBudget
{
    /// <summary>SQLite's page size (this store never changes it).</summary>
    public const int PageBytes = 4096;

    public const int MostPages = 1000;
    public const int FewestPages = 16;

    private const long RecheckMilliseconds = 1000;

    private readonly string _directory;
    private int _pages = MostPages;
    private long _checkedAt;

    public WalBudget(string directory)
    {
        _directory = directory;
        _checkedAt = Environment.TickCount64 - RecheckMilliseconds;
    }

    /// <summary>The checkpoint threshold in pages, from the free space of the data directory's volume (read at most
    /// once a second).</summary>
    public int CheckpointPages
    {
        get
        {
            long now = Environment.TickCount64;
            if (now - Volatile.Read(ref _checkedAt) >= RecheckMilliseconds)
            {
                Volatile.Write(ref _pages, PagesFor(FreeBytes()));
                Volatile.Write(ref _checkedAt, now);
            }

            return Volatile.Read(ref _pages);
        }
    }

    public static int PagesFor(long freeBytes) => (int)Math.Clamp(freeBytes / 8 / PageBytes, FewestPages, MostPages);

    /// <summary>The free space of the data directory's volume now (<see cref="long.MaxValue"/> when it cannot be read).</summary>
    public long FreeBytes()
    {
        try
        {
            return new DriveInfo(_directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown: SQLite's default, as before this budget existed.
            return long.MaxValue;
        }
    }
}
