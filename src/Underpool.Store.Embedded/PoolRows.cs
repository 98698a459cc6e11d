using Microsoft.Data.Sqlite;
using Underpool.Core.Pools;

namespace Underpool.Store.Embedded;

/// <summary>Reads and writes of the <c>pools</c> table inside a <see cref="StoreSession"/>.</summary>
internal static class PoolRows
{
    public static async Task<List<PoolSpec>> ListAsync(StoreSession session, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT spec FROM pools ORDER BY name");
        using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var pools = new List<PoolSpec>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pools.Add(PoolSpecJson.Read(reader.GetString(0)));
        }

        return pools;
    }

    public static async Task<PoolSpec?> GetAsync(StoreSession session, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT spec FROM pools WHERE name = $name").Bind("$name", name);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? PoolSpecJson.Read(json)
            : null;
    }

    public static async Task<bool> ExistsAsync(StoreSession session, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT 1 FROM pools WHERE name = $name").Bind("$name", name);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public static async Task InsertAsync(StoreSession session, PoolSpec pool, CancellationToken cancellationToken)
    {
        using SqliteCommand insert = session.Command("INSERT INTO pools (name, family, subnet, spec) VALUES ($name, $family, $subnet, $spec)")
            .Bind("$name", pool.Name)
            .Bind("$family", (int)pool.Family)
            .Bind("$subnet", pool.Subnet.ToString())
            .Bind("$spec", PoolSpecJson.Write(pool));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(StoreSession session, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand delete = session.Command("DELETE FROM pools WHERE name = $name").Bind("$name", name);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
