namespace Underpool.Core.Pools;

/// <summary>The pool name rule, with the sentence to show when a name breaks it.</summary>
/// <remarks>A DNS-1123 subdomain, so a pool name is safe as a Kubernetes object name and as a file name, with the
/// project's cap of 63 characters in place of Kubernetes' 253.</remarks>
public static class PoolName
{
    public const string Rule =
        "use at most 63 characters: lowercase letters, digits and '-' in parts separated by single dots, "
        + "each part starting and ending with a letter or digit";

    public static bool IsValid(string name) => Dns1123.IsSubdomain(name, 63);
}
