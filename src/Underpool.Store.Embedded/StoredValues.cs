using System.Globalization;
using Microsoft.Data.Sqlite;
using Underpool.Core.Net;

namespace Underpool.Store.Embedded;

/// <summary>How values are written to and read from the file: addresses as canonical text (so the unique key
/// on (pool, ip) sees one spelling per address), instants as fixed-width UTC ISO 8601 (sortable, exact to the tick).</summary>
internal static class StoredValues
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Text(IpAddress address) => address.ToString();

    public static IpAddress Address(string text) =>
        IpAddress.TryParse(text, out IpAddress address)
            ? address
            : throw new InvalidDataException($"the store holds '{text}' where an IP address belongs");

    public static string Text(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset Instant(string text) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset instant)
            ? instant
            : throw new InvalidDataException($"the store holds '{text}' where a UTC timestamp belongs");

    /// <summary>Binds a parameter; null becomes SQL NULL.</summary>
    public static SqliteCommand Bind(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static string? NullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
