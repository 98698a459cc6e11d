using Microsoft.Data.Sqlite;
using Underpool.Store.Documents;
using Underpool.Core.Pools;

namespace Underpool.Store.Embedded;

/// <summary>Reads and writes of the <c>pools</c> table inside a <see cref="StoreSession"/>.</summary>
internal static class PoolRows
{
    public static async Task<List<PoolSpec>> ListAsync(StoreSession session, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT spec, generation FROM pools ORDER BY name");
        using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var pools = new List<PoolSpec>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pools.Add(PoolSpecJson.Read(reader.GetString(0)) with { Generation = reader.GetInt64(1) });
        }

        return pools;
    }

    public static async Task<PoolSpec?> GetAsync(StoreSession session, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT spec, generation FROM pools WHERE name = $name").Bind("$name", name);
        using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? PoolSpecJson.Read(reader.GetString(0)) with { Generation = reader.GetInt64(1) }
            : null;
    }

    /// <summary>The generation of a pool, or null when there is no pool of that name.</summary>
    public static async Task<long?> GenerationAsync(StoreSession session, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT generation FROM pools WHERE name = $name").Bind("$name", name);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long generation ? generation : null;
    }

    public static async Task<bool> ExistsAsync(StoreSession session, string name, CancellationToken cancellationToken) =>
        await GenerationAsync(session, name, cancellationToken).ConfigureAwait(false) is not null;

    public static async Task InsertAsync(StoreSession session, PoolSpec pool, long generation, CancellationToken cancellationToken)
    {
        using SqliteCommand insert = session.Command(
                "INSERT INTO pools (name, family, subnet, spec, generation) VALUES ($name, $family, $subnet, $spec, $generation)")
            .Bind("$name", pool.Name)
            .Bind("$generation", generation)
            .Bind("$family", (int)pool.Family)
            .Bind("$subnet", pool.Subnet.ToString())
            .Bind("$spec", PoolSpecJson.Write(pool));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task UpdateAsync(StoreSession session, PoolSpec pool, long generation, CancellationToken cancellationToken)
    {
        using SqliteCommand update = session.Command("UPDATE pools SET spec = $spec, generation = $generation WHERE name = $name")
            .Bind("$name", pool.Name)
            .Bind("$spec", PoolSpecJson.Write(pool))
            .Bind("$generation", generation);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(StoreSession session, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand delete = session.Command("DELETE FROM pools WHERE name = $name").Bind("$name", name);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
