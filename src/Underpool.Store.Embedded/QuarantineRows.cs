using Microsoft.Data.Sqlite;
using Underpool.Core.Net;

namespace Underpool.Store.Embedded;

/// <summary>Reads and writes of the <c>quarantine</c> table inside a <see cref="StoreSession"/>.</summary>
internal static class QuarantineRows
{
    public static async Task<List<QuarantineRecord>> ListAsync(StoreSession session, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT ip, pool, mac, node, ifname, detected_at FROM quarantine");
        using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<QuarantineRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(Read(reader));
        }

        records.Sort((a, b) => a.Address.CompareTo(b.Address));
        return records;
    }

    public static async Task<QuarantineRecord?> GetAsync(StoreSession session, IpAddress address, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT ip, pool, mac, node, ifname, detected_at FROM quarantine WHERE ip = $ip")
            .Bind("$ip", StoredValues.Text(address));
        using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public static async Task<bool> ContainsAsync(StoreSession session, IpAddress address, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT 1 FROM quarantine WHERE ip = $ip").Bind("$ip", StoredValues.Text(address));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public static async Task UpsertAsync(StoreSession session, QuarantineRecord record, CancellationToken cancellationToken)
    {
        using SqliteCommand upsert = session.Command("""
                INSERT INTO quarantine (ip, family, pool, mac, node, ifname, detected_at)
                VALUES ($ip, $family, $pool, $mac, $node, $ifname, $at)
                ON CONFLICT (ip) DO UPDATE SET pool = excluded.pool, mac = excluded.mac, node = excluded.node,
                    ifname = excluded.ifname, detected_at = excluded.detected_at
                """)
            .Bind("$ip", StoredValues.Text(record.Address))
            .Bind("$family", (int)record.Address.Family)
            .Bind("$pool", record.Pool)
            .Bind("$mac", record.Mac)
            .Bind("$node", record.Node)
            .Bind("$ifname", record.Interface)
            .Bind("$at", StoredValues.Text(record.DetectedAt));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeleteAsync(StoreSession session, IpAddress address, CancellationToken cancellationToken)
    {
        using SqliteCommand delete = session.Command("DELETE FROM quarantine WHERE ip = $ip").Bind("$ip", StoredValues.Text(address));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static QuarantineRecord Read(SqliteDataReader reader) => new()
    {
        Address = StoredValues.Address(reader.GetString(0)),
        Pool = reader.GetString(1),
        Mac = reader.GetString(2),
        Node = reader.GetString(3),
        Interface = reader.GetString(4),
        DetectedAt = StoredValues.Instant(reader.GetString(5)),
    };
}
