using System.Buffers.Binary;

namespace Underpool.Footprint;

/// <summary>The embedded store's files as the file system sees them, and its page counts read from the database
/// header (no SQLite library needed: page size at offset 16, page count at 28, freelist pages at 36).</summary>
internal readonly record struct StoreFile(long DatabaseBytes, long WalBytes, long Pages, long FreePages)
{
    public static StoreFile Read(string dataDir)
    {
        string db = Path.Combine(dataDir, "underpool.db");
        string wal = db + "-wal";
        byte[] header = new byte[100];
        using (var file = new FileStream(db, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            file.ReadExactly(header);
        }

        return new StoreFile(
            new FileInfo(db).Length,
            File.Exists(wal) ? new FileInfo(wal).Length : 0,
            BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28)),
            BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(36)));
    }

    public override string ToString() =>
        $"database {DatabaseBytes / 1024.0:F0} KiB ({Pages} pages, {FreePages} free = {(Pages == 0 ? 0 : 100.0 * FreePages / Pages):F0} %), WAL {WalBytes / 1024.0:F0} KiB";
}
