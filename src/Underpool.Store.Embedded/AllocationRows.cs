using System.Text;
using Microsoft.Data.Sqlite;
using Underpool.Core.Net;

namespace Underpool.Store.Embedded;

/// <summary>Reads and writes of the <c>allocations</c> table inside a <see cref="StoreSession"/>.</summary>
internal static class AllocationRows
{
    private const string Columns =
        "pool, ip, network, container_id, ifname, node, netns, pod_namespace, pod_name, pod_uid, created_at, pool_gen, "
        + "static, runtime_container, owner_kind, owner_name, mac";

    private const string ForAttachment = " WHERE network = $network AND container_id = $container AND ifname = $ifname";

    /// <summary>An attachment's rows, addresses in order (IPv4 before IPv6, as a CNI result lists them).</summary>
    public static async Task<List<AllocationRecord>> GetAttachmentAsync(StoreSession session, AttachmentKey attachment, CancellationToken cancellationToken)
    {
        using SqliteCommand select = BindAttachment(session.Command("SELECT " + Columns + " FROM allocations" + ForAttachment), attachment);
        List<AllocationRecord> records = await ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
        records.Sort(ByAddress);
        return records;
    }

    /// <summary>The row of (<paramref name="pool"/>, <paramref name="address"/>), or null when the address is free.</summary>
    public static async Task<AllocationRecord?> GetAsync(StoreSession session, string pool, IpAddress address, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT " + Columns + " FROM allocations WHERE pool = $pool AND ip = $ip")
            .Bind("$pool", pool)
            .Bind("$ip", StoredValues.Text(address));
        return (await ReadAllAsync(select, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Inserts every record whose (pool, address) is free and returns those that were held already; the
    /// caller rolls back unless none was.</summary>
    public static async Task<List<(string Pool, IpAddress Address)>> InsertAsync(
        StoreSession session, IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        var taken = new List<(string Pool, IpAddress Address)>();
        using SqliteCommand insert = session.Command(
            "INSERT INTO allocations (" + Columns + ") VALUES " +
            "($pool, $ip, $network, $container, $ifname, $node, $netns, $podNamespace, $podName, $podUid, $createdAt, $poolGen, " +
            "$static, $runtimeContainer, $ownerKind, $ownerName, $mac) " +
            "ON CONFLICT (pool, ip) DO NOTHING");
        foreach (AllocationRecord record in records)
        {
            insert.Parameters.Clear();
            BindRecord(insert, record);
            // The caller checked the pool under the same write lock, so the foreign key holds.
            int inserted = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (inserted == 0)
            {
                taken.Add((record.Pool, record.Address));
            }
        }

        return taken;
    }

    /// <summary>Which of the (pool, address) keys are allocated already, to anyone: one primary-key lookup each.</summary>
    public static async Task<List<(string Pool, IpAddress Address)>> HeldAsync(
        StoreSession session, IEnumerable<(string Pool, IpAddress Address)> keys, CancellationToken cancellationToken)
    {
        var held = new List<(string Pool, IpAddress Address)>();
        using SqliteCommand select = session.Command("SELECT 1 FROM allocations WHERE pool = $pool AND ip = $ip");
        foreach ((string pool, IpAddress address) in keys)
        {
            select.Parameters.Clear();
            select.Bind("$pool", pool).Bind("$ip", StoredValues.Text(address));
            if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                held.Add((pool, address));
            }
        }

        return held;
    }

    /// <summary>Rewrites the owner fields of stored rows (same attachment, pool and address) from the records.</summary>
    public static async Task UpdateOwnersAsync(StoreSession session, IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        using SqliteCommand update = session.Command(
            "UPDATE allocations SET node = $node, netns = $netns, pod_namespace = $podNamespace, pod_name = $podName, " +
            "pod_uid = $podUid, created_at = $createdAt, pool_gen = $poolGen, static = $static, runtime_container = $runtimeContainer, " +
            "owner_kind = $ownerKind, owner_name = $ownerName, mac = $mac" + ForAttachment + " AND pool = $pool AND ip = $ip");
        foreach (AllocationRecord record in records)
        {
            update.Parameters.Clear();
            BindRecord(update, record);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<List<AllocationRecord>> DeleteAttachmentAsync(StoreSession session, AttachmentKey attachment, CancellationToken cancellationToken)
    {
        using SqliteCommand delete = BindAttachment(session.Command("DELETE FROM allocations" + ForAttachment + " RETURNING " + Columns), attachment);
        List<AllocationRecord> records = await ReadAllAsync(delete, cancellationToken).ConfigureAwait(false);
        records.Sort(ByAddress);
        return records;
    }

    /// <summary>Deletes every attachment that holds an address in <paramref name="pool"/>, all of its addresses (other
    /// pools' included), and returns what it deleted.</summary>
    public static async Task<List<AllocationRecord>> DeleteAttachmentsInPoolAsync(StoreSession session, string pool, CancellationToken cancellationToken)
    {
        using SqliteCommand delete = session.Command(
                "DELETE FROM allocations WHERE (network, container_id, ifname) IN "
                + "(SELECT network, container_id, ifname FROM allocations WHERE pool = $pool) RETURNING " + Columns)
            .Bind("$pool", pool);
        List<AllocationRecord> records = await ReadAllAsync(delete, cancellationToken).ConfigureAwait(false);
        records.Sort(ByAddress);
        return records;
    }

    public static async Task<long> CountInPoolAsync(StoreSession session, string pool, CancellationToken cancellationToken)
    {
        using SqliteCommand count = session.Command("SELECT COUNT(*) FROM allocations WHERE pool = $pool").Bind("$pool", pool);
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    /// <summary>Whether any of <paramref name="addresses"/> is allocated in <paramref name="pool"/>.</summary>
    public static async Task<bool> AnyHeldAsync(StoreSession session, string pool, IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        (await HeldAsync(session, addresses.Select(a => (pool, a)), cancellationToken).ConfigureAwait(false)).Count > 0;

    /// <summary>The allocations matching <paramref name="filter"/>, by pool then address.</summary>
    public static async Task<List<AllocationRecord>> ListAsync(StoreSession session, AllocationFilter filter, CancellationToken cancellationToken)
    {
        // Only the filters given become conditions, so SQLite can pick the matching index (a "$x IS NULL OR"
        // form would scan the table).
        var sql = new StringBuilder("SELECT " + Columns + " FROM allocations");
        string joiner = " WHERE ";
        foreach ((string condition, string? value) in new[] { ("pool = $pool", filter.Pool), ("node = $node", filter.Node), ("network = $network", filter.Network) })
        {
            if (value is not null)
            {
                sql.Append(joiner).Append(condition);
                joiner = " AND ";
            }
        }

        using SqliteCommand select = session.Command(sql.ToString());
        foreach ((string name, string? value) in new[] { ("$pool", filter.Pool), ("$node", filter.Node), ("$network", filter.Network) })
        {
            if (value is not null)
            {
                select.Bind(name, value);
            }
        }

        List<AllocationRecord> records = await ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
        records.Sort(static (a, b) =>
        {
            int byPool = string.CompareOrdinal(a.Pool, b.Pool);
            return byPool != 0 ? byPool : a.Address.CompareTo(b.Address);
        });
        return records;
    }

    public static async Task<Dictionary<string, long>> CountByPoolAsync(StoreSession session, CancellationToken cancellationToken)
    {
        using SqliteCommand count = session.Command("SELECT pool, COUNT(*) FROM allocations GROUP BY pool");
        using SqliteDataReader reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private static SqliteCommand BindRecord(SqliteCommand command, AllocationRecord record) => BindAttachment(command, record.Attachment)
        .Bind("$pool", record.Pool)
        .Bind("$poolGen", record.PoolGeneration)
        .Bind("$ip", StoredValues.Text(record.Address))
        .Bind("$node", record.Node)
        .Bind("$netns", record.NetNs)
        .Bind("$podNamespace", record.PodNamespace)
        .Bind("$podName", record.PodName)
        .Bind("$podUid", record.PodUid)
        .Bind("$createdAt", StoredValues.Text(record.CreatedAt))
        .Bind("$static", record.Static ? 1 : 0)
        .Bind("$runtimeContainer", record.RuntimeContainerId)
        .Bind("$ownerKind", record.OwnerKind)
        .Bind("$ownerName", record.OwnerName)
        .Bind("$mac", record.Mac);

    private static SqliteCommand BindAttachment(SqliteCommand command, AttachmentKey attachment) => command
        .Bind("$network", attachment.Network)
        .Bind("$container", attachment.ContainerId)
        .Bind("$ifname", attachment.IfName);

    private static async Task<List<AllocationRecord>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<AllocationRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new AllocationRecord
            {
                Pool = reader.GetString(0),
                Address = StoredValues.Address(reader.GetString(1)),
                Attachment = new AttachmentKey(reader.GetString(2), reader.GetString(3), reader.GetString(4)),
                Node = reader.GetString(5),
                NetNs = reader.NullableString(6),
                PodNamespace = reader.NullableString(7),
                PodName = reader.NullableString(8),
                PodUid = reader.NullableString(9),
                CreatedAt = StoredValues.Instant(reader.GetString(10)),
                PoolGeneration = reader.GetInt64(11),
                Static = reader.GetInt64(12) != 0,
                RuntimeContainerId = reader.NullableString(13),
                OwnerKind = reader.NullableString(14),
                OwnerName = reader.NullableString(15),
                Mac = reader.NullableString(16),
            });
        }

        return records;
    }

    private static int ByAddress(AllocationRecord a, AllocationRecord b)
    {
        int byAddress = a.Address.CompareTo(b.Address);
        return byAddress != 0 ? byAddress : string.CompareOrdinal(a.Pool, b.Pool);
    }
}
