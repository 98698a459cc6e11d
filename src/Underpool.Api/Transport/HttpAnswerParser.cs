using System.Buffers.Text;
using System.Text;

namespace Underpool.Api.Transport;

/// <summary>Reads a whole HTTP/1.1 response (the connection was closed after it): status line, headers, and a body
/// delimited by Content-Length, chunked transfer coding, or the end of the stream.</summary>
internal static class HttpAnswerParser
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    /// <summary>Parses <paramref name="response"/>; false with a reason when it is not a well-formed answer.</summary>
    public static bool TryParse(ReadOnlySpan<byte> response, out HttpAnswer answer, out string error) =>
        TryParse(response, out answer, out error, out _);

    /// <summary>True when <paramref name="response"/> holds a whole answer by its own framing (Content-Length or
    /// chunked); an answer without either ends only where the connection does.</summary>
    public static bool IsComplete(ReadOnlySpan<byte> response) =>
        TryParse(response, out _, out _, out bool framed) && framed;

    private static bool TryParse(ReadOnlySpan<byte> response, out HttpAnswer answer, out string error, out bool framed)
    {
        answer = default;
        framed = false;
        int headerEnd = response.IndexOf(HeaderEnd);
        if (headerEnd < 0)
        {
            error = "the answer ended before its headers did";
            return false;
        }

        ReadOnlySpan<byte> head = response[..headerEnd];
        ReadOnlySpan<byte> rest = response[(headerEnd + HeaderEnd.Length)..];
        int statusEnd = head.IndexOf(LineEnd);
        ReadOnlySpan<byte> statusLine = statusEnd < 0 ? head : head[..statusEnd];
        if (!TryParseStatus(statusLine, out int status))
        {
            error = $"the answer does not start with an HTTP status line: '{Printable(statusLine)}'";
            return false;
        }

        long? contentLength = null;
        bool chunked = false;
        ReadOnlySpan<byte> headers = statusEnd < 0 ? [] : head[(statusEnd + LineEnd.Length)..];
        while (!headers.IsEmpty)
        {
            int end = headers.IndexOf(LineEnd);
            ReadOnlySpan<byte> line = end < 0 ? headers : headers[..end];
            headers = end < 0 ? [] : headers[(end + LineEnd.Length)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            ReadOnlySpan<byte> name = line[..colon].Trim((byte)' ');
            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long length, out int used) || used != value.Length || length < 0)
                {
                    error = $"the answer's Content-Length '{Printable(value)}' is not a number";
                    return false;
                }

                contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = value.IndexOf("chunked"u8) >= 0;
            }
        }

        framed = chunked || contentLength.HasValue;
        byte[] body;
        if (chunked)
        {
            if (!TryDecodeChunked(rest, out body, out error))
            {
                return false;
            }
        }
        else if (contentLength is { } length)
        {
            if (rest.Length < length)
            {
                error = $"the answer's body ended after {rest.Length} of {length} bytes";
                return false;
            }

            body = rest[..(int)length].ToArray();
        }
        else
        {
            body = rest.ToArray();
        }

        answer = new HttpAnswer(status, body);
        error = string.Empty;
        return true;
    }

    private static bool TryParseStatus(ReadOnlySpan<byte> line, out int status)
    {
        // "HTTP/1.1 200 OK": the version, one space, three digits.
        status = 0;
        return line.StartsWith("HTTP/1."u8)
               && line.Length >= 12
               && line[8] == (byte)' '
               && Utf8Parser.TryParse(line.Slice(9, 3), out status, out int used)
               && used == 3;
    }

    private static bool TryDecodeChunked(ReadOnlySpan<byte> data, out byte[] body, out string error)
    {
        var output = new List<byte>(data.Length);
        while (true)
        {
            int sizeEnd = data.IndexOf(LineEnd);
            if (sizeEnd < 0)
            {
                break;
            }

            // A chunk size may carry extensions after ';'; they mean nothing to us.
            ReadOnlySpan<byte> sizeText = data[..sizeEnd];
            int semicolon = sizeText.IndexOf((byte)';');
            if (semicolon >= 0)
            {
                sizeText = sizeText[..semicolon];
            }

            sizeText = sizeText.Trim((byte)' ');
            if (!Utf8Parser.TryParse(sizeText, out long size, out int used, 'x') || used != sizeText.Length || size < 0)
            {
                body = [];
                error = $"the answer has a malformed chunk size '{Printable(sizeText)}'";
                return false;
            }

            data = data[(sizeEnd + LineEnd.Length)..];
            if (size == 0)
            {
                body = [.. output];
                error = string.Empty;
                return true;
            }

            // Compared as longs: a huge announced size must read as "ended early", not overflow.
            if (data.Length < size + LineEnd.Length)
            {
                break;
            }

            int length = (int)size;
            if (!data.Slice(length, LineEnd.Length).SequenceEqual(LineEnd))
            {
                body = [];
                error = $"the answer's chunk of {length} bytes is not followed by CRLF";
                return false;
            }

            output.AddRange(data[..length]);
            data = data[(length + LineEnd.Length)..];
        }

        body = [];
        error = "the answer's chunked body ended before its last chunk";
        return false;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        string text = Encoding.ASCII.GetString(bytes.Length > 80 ? bytes[..80] : bytes);
        return string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
    }
}
