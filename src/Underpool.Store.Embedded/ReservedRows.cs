using Microsoft.Data.Sqlite;
using Underpool.Core.Net;

namespace Underpool.Store.Embedded;

/// <summary>Reads and writes of the <c>reserved</c> table inside a <see cref="StoreSession"/>.</summary>
internal static class ReservedRows
{
    public static async Task<List<IpAddress>> ListAsync(StoreSession session, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT ip FROM reserved");
        using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var addresses = new List<IpAddress>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            addresses.Add(StoredValues.Address(reader.GetString(0)));
        }

        addresses.Sort();
        return addresses;
    }

    public static async Task<bool> ContainsAsync(StoreSession session, IpAddress address, CancellationToken cancellationToken)
    {
        using SqliteCommand select = session.Command("SELECT 1 FROM reserved WHERE ip = $ip").Bind("$ip", StoredValues.Text(address));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Inserts the addresses not yet reserved; returns them.</summary>
    public static Task<List<IpAddress>> AddAsync(StoreSession session, IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        ChangeEachAsync(session, "INSERT INTO reserved (ip, family) VALUES ($ip, $family) ON CONFLICT (ip) DO NOTHING", addresses, cancellationToken);

    /// <summary>Deletes the addresses that were reserved; returns them.</summary>
    public static Task<List<IpAddress>> RemoveAsync(StoreSession session, IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken) =>
        ChangeEachAsync(session, "DELETE FROM reserved WHERE ip = $ip AND family = $family", addresses, cancellationToken);

    private static async Task<List<IpAddress>> ChangeEachAsync(
        StoreSession session, string sql, IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken)
    {
        using SqliteCommand command = session.Command(sql);
        SqliteParameter ip = command.Parameters.Add("$ip", SqliteType.Text);
        SqliteParameter family = command.Parameters.Add("$family", SqliteType.Integer);
        var changed = new List<IpAddress>();
        foreach (IpAddress address in addresses)
        {
            ip.Value = StoredValues.Text(address);
            family.Value = (int)address.Family;
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                changed.Add(address);
            }
        }

        return changed;
    }
}
