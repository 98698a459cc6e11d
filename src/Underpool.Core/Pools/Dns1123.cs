namespace Underpool.Core.Pools;

/// <summary>RFC 1123 names as Kubernetes checks them: the one implementation behind pool names, node names and label
/// key prefixes.</summary>
internal static class Dns1123
{
    /// <summary>True for dot-separated labels of lowercase letters, digits and inner '-' (each 1-63 characters), at
    /// most <paramref name="maxLength"/> characters in all.</summary>
    /// <remarks>Each label on its own: "a..b" has an empty label and "a.-b" one starting with '-', which Kubernetes
    /// refuses although every character is allowed somewhere.</remarks>
    public static bool IsSubdomain(string text, int maxLength)
    {
        if (string.IsNullOrEmpty(text) || text.Length > maxLength)
        {
            return false;
        }

        foreach (string label in text.Split('.'))
        {
            if (label.Length is 0 or > 63 || !IsLowerAlphanumeric(label[0]) || !IsLowerAlphanumeric(label[^1]))
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!IsLowerAlphanumeric(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
