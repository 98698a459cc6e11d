namespace Underpool.Core.Pools;

/// <summary>The node name rule (a pool's node names, the agent's --node), with the sentence to show when a name
/// breaks it.</summary>
/// <remarks>Kubernetes names nodes with DNS-1123 subdomains of at most 253 characters; a pool naming anything else
/// names a node that cannot exist there, and a name with '/' or a control character would corrupt the store's keys
/// and the CLI's one-line messages.</remarks>
public static class NodeName
{
    public const int MaxLength = 253;

    public const string Rule =
        "use at most 253 characters: lowercase letters, digits and '-' in parts of at most 63 separated by single dots, "
        + "each part starting and ending with a letter or digit (a DNS-1123 subdomain, as Kubernetes names nodes)";

    public static bool IsValid(string name) => Dns1123.IsSubdomain(name, MaxLength);
}
