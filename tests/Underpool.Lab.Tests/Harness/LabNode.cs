using System.Net;

namespace Underpool.Lab.Tests;

/// <summary>A namespace wired to the lab's switch: its uplink <c>eth0</c> holds <see cref="Address"/>.</summary>
public sealed record LabNode(NetworkNamespace Namespace, IPAddress Address, int PrefixLength)
{
    /// <summary>The uplink's name inside the node; the <c>master</c> of a macvlan run on this node.</summary>
    public const string Uplink = "eth0";

    public string Name => Namespace.Name;

    public override string ToString() => $"{Name} ({Address}/{PrefixLength})";
}
