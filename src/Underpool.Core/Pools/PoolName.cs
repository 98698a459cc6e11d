namespace Underpool.Core.Pools;

/// <summary>The pool name rule, with the sentence to show when a name breaks it.</summary>
/// <remarks>A DNS-1123 subdomain, so a pool name is safe as a Kubernetes object name and as a file name, with the
/// project's cap of 63 characters in place of Kubernetes' 253.</remarks>
public static class PoolName
{
    public const string Rule =
        "use at most 63 characters: lowercase letters, digits and '-' in parts separated by single dots, "
        + "each part starting and ending with a letter or digit";

    public static bool IsValid(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 63)
        {
            return false;
        }

        // Each dot-separated label on its own: "a..b" has an empty label and "a.-b" one starting with '-', which
        // Kubernetes refuses although every character is allowed somewhere.
        foreach (string label in name.Split('.'))
        {
            if (label.Length == 0 || !IsLowerAlphanumeric(label[0]) || !IsLowerAlphanumeric(label[^1]))
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
