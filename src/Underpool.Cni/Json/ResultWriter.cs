using System.Text.Encodings.Web;
using System.Text.Json;

namespace Underpool.Cni.Json;

/// <summary>Writes a <see cref="ResultWire"/> with <see cref="Utf8JsonWriter"/> directly: the bytes
/// <see cref="CniJsonContext.Output"/> writes (same writer, same encoder, nulls left out), without the serializer's type
/// metadata and its reflection on first use, paid on every ADD (issue 16).</summary>
/// <remarks>Its encoder is the context's (relaxed: quotes and '+' stay readable). ResultWriterTests hold the two together.</remarks>
internal static class ResultWriter
{
    public static void Write(Stream stream, ResultWire result)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Write(json, result);
    }

    public static void Write(Utf8JsonWriter json, ResultWire result)
    {
        json.WriteStartObject();
        json.WriteString("cniVersion"u8, result.CniVersion);
        json.WriteStartArray("ips"u8);
        foreach (IpWire ip in result.Ips)
        {
            json.WriteStartObject();
            OptionalString(json, "version"u8, ip.Version);
            json.WriteString("address"u8, ip.Address);
            OptionalString(json, "gateway"u8, ip.Gateway);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (result.Routes is { } routes)
        {
            json.WriteStartArray("routes"u8);
            foreach (RouteConfig route in routes)
            {
                json.WriteStartObject();
                json.WriteString("dst"u8, route.Dst);
                OptionalString(json, "gw"u8, route.Gw);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (result.Dns is { } dns)
        {
            json.WriteStartObject("dns"u8);
            OptionalStrings(json, "nameservers"u8, dns.Nameservers);
            OptionalString(json, "domain"u8, dns.Domain);
            OptionalStrings(json, "search"u8, dns.Search);
            OptionalStrings(json, "options"u8, dns.Options);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.Flush();
    }

    private static void OptionalString(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void OptionalStrings(Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
