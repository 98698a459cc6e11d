namespace Underpool.Kubernetes;

/// <summary>The name rules of Kubernetes objects we check before sending a name anywhere.</summary>
internal static class KubernetesNames
{
    /// <summary>RFC 1123 subdomain: node, namespace and most object names.</summary>
    public static bool IsDnsSubdomain(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 253
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');

    /// <summary>"namespace/name", the key of a namespaced object in every cache.</summary>
    public static string Key(string? @namespace, string name) => string.IsNullOrEmpty(@namespace) ? name : $"{@namespace}/{name}";
}
