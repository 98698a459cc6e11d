using Microsoft.Data.Sqlite;
using Underpool.Core.Net;
using Underpool.Store.Documents;

namespace Underpool.Store.Embedded;

/// <summary>How values are written to and read from the file: as <see cref="StoredText"/> (one spelling per address,
/// so the unique key on (pool, ip) holds), plus the parameter and column helpers of Microsoft.Data.Sqlite.</summary>
internal static class StoredValues
{
    public static string Text(IpAddress address) => StoredText.Text(address);

    public static IpAddress Address(string text) => StoredText.Address(text);

    public static string Text(DateTimeOffset instant) => StoredText.Text(instant);

    public static DateTimeOffset Instant(string text) => StoredText.Instant(text);

    /// <summary>Binds a parameter; null becomes SQL NULL.</summary>
    public static SqliteCommand Bind(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static string? NullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
