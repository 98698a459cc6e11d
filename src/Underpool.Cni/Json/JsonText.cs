using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Underpool.Cni.Json;

/// <summary>Finds text a runtime sent that System.Text.Json accepts as JSON but cannot turn into a string: bytes that
/// are not UTF-8, and a <c>\uD800</c>-<c>\uDFFF</c> escape without its pair (a lone UTF-16 surrogate).</summary>
/// <remarks>The JSON reader checks neither while parsing: it throws <see cref="InvalidOperationException"/> later, when a
/// string is read or printed back (GetString, TryGetProperty, GetRawText), which in a plugin means an abort with a stack
/// trace instead of a CNI error. So stdin is checked once, up front, and everything after may read strings freely.</remarks>
internal static class JsonText
{
    /// <summary>Where <paramref name="utf8"/> stops being UTF-8, as "line L, column C (byte 0xFF)", or null when it is UTF-8.</summary>
    internal static string? FindInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            return null;
        }

        int offset = 0;
        int line = 1;
        int lineStart = 0;
        while (Rune.DecodeFromUtf8(utf8[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            if (utf8[offset] == (byte)'\n')
            {
                line++;
                lineStart = offset + 1;
            }

            offset += consumed;
        }

        return string.Create(CultureInfo.InvariantCulture, $"line {line}, column {offset - lineStart + 1} (byte 0x{utf8[offset]:X2})");
    }

    /// <summary>The path of the first key or string under <paramref name="element"/> that cannot be decoded, or null.</summary>
    /// <remarks>Recursion is bounded by the document's nesting limit (64 by default).</remarks>
    internal static string? FindUndecodable(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!TryDecodeName(property, out string? name))
                    {
                        return path.Length == 0 ? "a key of the top-level object" : $"a key of {path}";
                    }

                    string inner = path.Length == 0 ? name : $"{path}.{name}";
                    if (FindUndecodable(property.Value, inner) is { } found)
                    {
                        return found;
                    }
                }

                return null;

            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (FindUndecodable(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;

            case JsonValueKind.String:
                return TryDecode(element, out _) ? null : path.Length == 0 ? "the top-level string" : path;

            default:
                return null;
        }
    }

    private static bool TryDecodeName(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    private static bool TryDecode(JsonElement element, out string? text)
    {
        try
        {
            text = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }
}
