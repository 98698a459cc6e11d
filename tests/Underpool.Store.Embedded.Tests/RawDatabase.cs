using Microsoft.Data.Sqlite;

namespace Underpool.Store.Embedded.Tests;

/// <summary>The store's file opened directly, bypassing the store (and its pool), to look at it or to write it as an
/// older build would have.</summary>
internal static class RawDatabase
{
    public static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, SqliteIpamStore.FileName),
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static long Scalar(string dataDirectory, string sql)
    {
        using SqliteConnection connection = Open(dataDirectory);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!; // The queries used in tests always return one row.
    }

    public static void Execute(string dataDirectory, string sql)
    {
        using SqliteConnection connection = Open(dataDirectory);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
