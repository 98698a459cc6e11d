using System.Globalization;
using System.Text;

namespace Underpool.Api.Wire;

/// <summary>Appends compact JSON as UTF-8: the few constructs a CNI call's request needs, written without
/// System.Text.Json's writer, its encoder and its pooled buffers.</summary>
/// <remarks>Strings escape '"', '\' and control characters, which is all JSON requires; everything else is written as
/// UTF-8. The agent reads it with its serializer like any other JSON (<see cref="CniCallWriter"/>).</remarks>
internal sealed class JsonOut
{
    private byte[] _buffer = new byte[512];
    private int _length;
    private bool _needsComma;

    public byte[] ToArray() => _buffer[.._length];

    public void StartObject()
    {
        Separate();
        Append((byte)'{');
        _needsComma = false;
    }

    public void EndObject()
    {
        Append((byte)'}');
        _needsComma = true;
    }

    public void StartArray()
    {
        Separate();
        Append((byte)'[');
        _needsComma = false;
    }

    public void EndArray()
    {
        Append((byte)']');
        _needsComma = true;
    }

    /// <summary>A property's name (already camelCase ASCII, as the contracts spell it on the wire).</summary>
    public void Name(ReadOnlySpan<byte> asciiName)
    {
        Separate();
        Append((byte)'"');
        Append(asciiName);
        Append("\":"u8);
        _needsComma = false;
    }

    /// <summary>A dictionary key: any text, escaped.</summary>
    public void Name(string key)
    {
        String(key);
        Append((byte)':');
        _needsComma = false;
    }

    public void String(string value)
    {
        Separate();
        Append((byte)'"');
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is '"' or '\\' or < ' ')
            {
                Utf8(value.AsSpan(start, i - start));
                Escape(c);
                start = i + 1;
            }
        }

        Utf8(value.AsSpan(start));
        Append((byte)'"');
        _needsComma = true;
    }

    public void Bool(bool value)
    {
        Separate();
        Append(value ? "true"u8 : "false"u8);
        _needsComma = true;
    }

    /// <summary>A value that is JSON already (a <c>JsonElement</c>'s raw text).</summary>
    public void Raw(string json)
    {
        Separate();
        Utf8(json);
        _needsComma = true;
    }

    private void Escape(char c)
    {
        switch (c)
        {
            case '"':
                Append("\\\""u8);
                break;
            case '\\':
                Append("\\\\"u8);
                break;
            case '\n':
                Append("\\n"u8);
                break;
            case '\r':
                Append("\\r"u8);
                break;
            case '\t':
                Append("\\t"u8);
                break;
            default:
                Utf8(string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"));
                break;
        }
    }

    private void Separate()
    {
        if (_needsComma)
        {
            Append((byte)',');
        }
    }

    private void Utf8(ReadOnlySpan<char> text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void Append(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }
    }
}
