using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Underpool.Cni.Json;

/// <summary>Turns the bytes a runtime wrote to stdin into a <see cref="JsonDocument"/>, or a decode error a person can act on.</summary>
internal static class StdinJson
{
    /// <summary>Parses JSON from stdin, or describes in plain words where and why it is not JSON. A document it returns
    /// holds only keys and strings that decode (see <see cref="JsonText"/>), so readers may call GetString freely.</summary>
    internal static bool TryParse(
        ReadOnlySpan<byte> utf8Json,
        string what,
        [NotNullWhen(true)] out JsonDocument? document,
        [NotNullWhen(false)] out CniError? error)
    {
        document = null;
        error = null;
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = new CniError(
                CniErrorCode.DecodeFailure,
                $"the {what} on stdin is empty; expected a JSON object with at least \"cniVersion\" and \"name\"");
            return false;
        }

        if (JsonText.FindInvalidUtf8(utf8Json) is { } invalidAt)
        {
            error = new CniError(CniErrorCode.DecodeFailure, $"the {what} on stdin is not UTF-8 text at {invalidAt}; JSON must be UTF-8");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException ex)
        {
            // The reader counts from 0; people count lines and columns from 1.
            string where = ex.LineNumber is long line && ex.BytePositionInLine is long column
                ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, column {column + 1}")
                : string.Empty;
            error = new CniError(CniErrorCode.DecodeFailure, $"the {what} on stdin is not valid JSON{where}: {Reason(ex)}");
            return false;
        }

        if (JsonText.FindUndecodable(document.RootElement) is { } path)
        {
            document.Dispose();
            document = null;
            error = new CniError(
                CniErrorCode.DecodeFailure,
                $"the {what} on stdin cannot be decoded: {path} holds a \\u escape of half a UTF-16 surrogate pair (\\uD800-\\uDFFF) without its other half");
            return false;
        }

        return true;
    }

    // The reader's message ends with "LineNumber: 0 | BytePositionInLine: 5." (already said above) and sometimes with
    // advice for the programmer ("Change the reader options.") that the person fixing the config cannot follow.
    private static string Reason(JsonException ex)
    {
        string message = ex.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = (cut >= 0 ? message[..cut] : message).TrimEnd();
        return message.Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal)
            .Replace(" in this mode", string.Empty, StringComparison.Ordinal);
    }
}
