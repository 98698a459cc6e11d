namespace Underpool.Cni;

/// <summary>The spec's rules for container ids, network names and interface names.</summary>
internal static class CniNames
{
    internal const string NameRule = "letters, digits, '_', '.' and '-', starting with a letter or digit";

    internal const int MaxInterfaceNameBytes = 15;

    /// <summary>The index of the first character breaking <c>^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$</c>, or -1 when the name is valid.</summary>
    /// <remarks>A loop rather than a Regex: the plugin is a short-lived process and this runs once per call.</remarks>
    internal static int FindInvalidNameChar(string name)
    {
        if (name.Length == 0)
        {
            return 0;
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = char.IsAsciiLetterOrDigit(c) || (i > 0 && c is '_' or '.' or '-');
            if (!ok)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Why <paramref name="name"/> is not a usable Linux interface name, or null when it is.</summary>
    internal static string? InterfaceNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        int bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxInterfaceNameBytes)
        {
            return $"is {bytes} bytes long; Linux interface names are at most {MaxInterfaceNameBytes}";
        }

        if (name is "." or "..")
        {
            return "is reserved ('.' and '..' cannot name an interface)";
        }

        foreach (char c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c))
            {
                string what = c switch { '/' => "'/'", ':' => "':'", _ => "whitespace" };
                return $"contains {what}; interface names cannot contain '/', ':' or whitespace";
            }
        }

        return null;
    }
}
