using System.Globalization;
using Underpool.Core.Net;

namespace Underpool.Store.Documents;

/// <summary>How every store backend writes values as text: addresses in canonical form (so a key or unique column sees
/// one spelling per address), instants as fixed-width UTC ISO 8601 (sortable, exact to the tick).</summary>
public static class StoredText
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
}
