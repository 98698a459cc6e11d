namespace Underpool.Core.Pools;

/// <summary>Kubernetes label key and value syntax, with the sentence to show when text breaks it.</summary>
internal static class LabelSyntax
{
    public const string ValueRule =
        "up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

    /// <summary>Null when <paramref name="key"/> is a valid key ("rack" or "example.com/rack"); else why not.</summary>
    public static string? KeyProblem(string key)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        string name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            string prefix = key[..slash];
            if (!Dns1123.IsSubdomain(prefix, 253))
            {
                return $"the prefix '{prefix}' of label key '{key}' is not a DNS subdomain "
                       + "(lowercase letters, digits, '-' and '.', up to 253 characters)";
            }
        }

        return name.Length > 0 && IsName(name)
            ? null
            : $"label key '{key}' is not valid: the name must be 1-63 letters, digits, '-', '_' or '.', "
              + "starting and ending with a letter or digit, optionally after a DNS prefix and '/'";
    }

    /// <summary>Null when <paramref name="value"/> is a valid label value (empty is valid); else why not.</summary>
    public static string? ValueProblem(string value) =>
        value.Length == 0 || IsName(value) ? null : $"label value '{value}' is not valid: expected {ValueRule}";

    /// <summary>`[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63 characters.</summary>
    private static bool IsName(string text)
    {
        if (text.Length is 0 or > 63 || !char.IsAsciiLetterOrDigit(text[0]) || !char.IsAsciiLetterOrDigit(text[^1]))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
