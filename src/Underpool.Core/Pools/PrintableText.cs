using System.Globalization;
using System.Text;

namespace Underpool.Core.Pools;

/// <summary>The rule that names and addresses hold no control characters, and how to show text that breaks it.</summary>
/// <remarks>A trailing NUL is where C code (the kernel, a runtime) stops reading, so "node1\0" would be one name to us
/// and another to them; a newline splits a log line or the CLI's one-line message. Nothing legitimate needs either.</remarks>
public static class PrintableText
{
    public static bool HasControl(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text with each control character written as \uXXXX, so a message quoting it stays one printable line.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasControl(text))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>"WHAT 'a\u0000' holds a control character (U+0000); remove it", or null when there is none.</summary>
    public static string? Problem(string what, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"{what} '{Escape(text)}' holds a control character (U+{(int)c:X4}); remove it");
            }
        }

        return null;
    }
}
