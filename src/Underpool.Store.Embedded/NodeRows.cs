using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Underpool.Store.Embedded;

/// <summary>Reads and writes of the <c>nodes</c> table: one row per registered node, alive while its
/// <c>expires_at</c> is in the future.</summary>
internal static class NodeRows
{
    public static async Task UpsertAsync(
        StoreSession session,
        string name,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyCollection<string> uplinkMacs,
        DateTimeOffset now,
        TimeSpan ttl,
        CancellationToken cancellationToken)
    {
        string labelsJson = JsonSerializer.Serialize(
            new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal), NodeLabelsJsonContext.Default.SortedDictionaryStringString);
        string macsJson = JsonSerializer.Serialize(
            uplinkMacs.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), NodeLabelsJsonContext.Default.ListString);
        using SqliteCommand upsert = session.Command("""
            INSERT INTO nodes (name, labels, registered_at, last_seen, expires_at, uplink_macs)
                VALUES ($name, $labels, $now, $now, $expires, $macs)
            ON CONFLICT (name) DO UPDATE SET labels = excluded.labels, last_seen = excluded.last_seen,
                expires_at = excluded.expires_at, uplink_macs = excluded.uplink_macs
            """)
            .Bind("$name", name)
            .Bind("$labels", labelsJson)
            .Bind("$macs", macsJson)
            .Bind("$now", StoredValues.Text(now))
            .Bind("$expires", StoredValues.Text(now + ttl));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<NodeRecord>> ListAsync(StoreSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT name, labels, last_seen, expires_at, uplink_macs FROM nodes ORDER BY name");
        using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<NodeRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string name = reader.GetString(0);
            SortedDictionary<string, string> labels =
                JsonSerializer.Deserialize(reader.GetString(1), NodeLabelsJsonContext.Default.SortedDictionaryStringString)
                ?? throw new InvalidDataException($"the store holds no labels for node '{name}'");
            List<string> macs = JsonSerializer.Deserialize(reader.GetString(4), NodeLabelsJsonContext.Default.ListString)
                ?? throw new InvalidDataException($"the store holds no uplink MACs for node '{name}'");
            nodes.Add(new NodeRecord(
                name, labels, Alive: StoredValues.Instant(reader.GetString(3)) > now, LastSeen: StoredValues.Instant(reader.GetString(2)))
            {
                UplinkMacs = macs,
            });
        }

        return nodes;
    }
}
