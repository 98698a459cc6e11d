using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Underpool.Cli.Output;

/// <summary>Writes a contract DTO as indented JSON through the source-generated ApiJsonContext (AOT-safe, same shape as the wire).</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static void Write<T>(TextWriter output, T value, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
