using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace Underpool.Kubernetes.Watching;

/// <summary>Reads a watch response body: newline-delimited JSON events <c>{"type":"ADDED","object":{…}}</c>, each
/// object deserialized straight from the bytes with the client's source-generated JSON (no reflection, no string per
/// line). A line may arrive across any number of reads; blank lines are skipped; anything that is not an event ends
/// the stream with a <see cref="WatchStreamException"/> that quotes the start of the line.</summary>
internal static class WatchStreamReader
{
    /// <summary>A line longer than this is not an event (the API server's objects are at most ~1.5 MiB, etcd's limit):
    /// give up instead of buffering a stream that never sends a newline.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private const int Quoted = 120;

    public static async IAsyncEnumerable<WatchEvent<TObject>> ReadAsync<TObject>(
        Stream body, JsonTypeInfo<TObject> json, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PipeReader reader = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = read.Buffer;
                while (TakeLine(ref buffer, out ReadOnlySequence<byte> line))
                {
                    if (!IsBlank(line))
                    {
                        yield return Parse(line, json);
                    }
                }

                if (read.IsCompleted)
                {
                    // The server ends every event with a newline; a last one without is read all the same.
                    if (!IsBlank(buffer))
                    {
                        yield return Parse(buffer, json);
                    }

                    yield break;
                }

                if (buffer.Length > MaxLineBytes)
                {
                    throw new WatchStreamException($"a watch event longer than {MaxLineBytes} bytes (no newline): {Quote(buffer)}");
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One line as an event; throws <see cref="WatchStreamException"/> for anything else.</summary>
    public static WatchEvent<TObject> Parse<TObject>(ReadOnlySequence<byte> line, JsonTypeInfo<TObject> json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return ParseEvent(line, json) ?? throw new WatchStreamException($"not a watch event (it needs a known \"type\" and an \"object\"): {Quote(line)}");
        }
        catch (JsonException e)
        {
            throw new WatchStreamException($"not a watch event ({e.Message}): {Quote(line)}", e);
        }
    }

    private static WatchEvent<TObject>? ParseEvent<TObject>(ReadOnlySequence<byte> line, JsonTypeInfo<TObject> json)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        WatchEventKind? kind = null;
        JsonElement? early = null; // The object, when it came before the type (the server writes the type first).
        WatchEvent<TObject>? parsed = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                kind = KindOf(reader.TokenType == JsonTokenType.String ? reader.GetString() : null);
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                if (kind is { } known)
                {
                    parsed = ReadObject(ref reader, known, json);
                }
                else
                {
                    early = JsonElement.ParseValue(ref reader);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (kind is { } k && early is { } element)
        {
            parsed = k == WatchEventKind.Error
                ? new WatchEvent<TObject>(k, default, element.Deserialize(SourceGenerationContext.Default.V1Status))
                : new WatchEvent<TObject>(k, element.Deserialize(json), null);
        }

        return parsed is { } result && (result.Object is not null || result.Status is not null) ? result : null;
    }

    private static WatchEvent<TObject> ReadObject<TObject>(ref Utf8JsonReader reader, WatchEventKind kind, JsonTypeInfo<TObject> json) =>
        kind == WatchEventKind.Error
            ? new WatchEvent<TObject>(kind, default, JsonSerializer.Deserialize(ref reader, SourceGenerationContext.Default.V1Status))
            : new WatchEvent<TObject>(kind, JsonSerializer.Deserialize(ref reader, json), null);

    private static WatchEventKind? KindOf(string? type) => type switch
    {
        "ADDED" => WatchEventKind.Added,
        "MODIFIED" => WatchEventKind.Modified,
        "DELETED" => WatchEventKind.Deleted,
        "BOOKMARK" => WatchEventKind.Bookmark,
        "ERROR" => WatchEventKind.Error,
        _ => null,
    };

    /// <summary>Splits the next line (without its newline) off the front of <paramref name="buffer"/>.</summary>
    private static bool TakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        SequencePosition? newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> bytes)
    {
        foreach (ReadOnlyMemory<byte> segment in bytes)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r"u8) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static string Quote(ReadOnlySequence<byte> line)
    {
        string start = Encoding.UTF8.GetString(line.Slice(0, Math.Min(line.Length, Quoted)));
        return line.Length > Quoted ? $"'{start}…' ({line.Length} bytes)" : $"'{start}'";
    }
}
