namespace Underpool.Cni;

/// <summary>The pool names from <c>ipam.pools</c>; an empty list lets the agent choose for that family.</summary>
public sealed record IpamPools(IReadOnlyList<string> Ipv4, IReadOnlyList<string> Ipv6)
{
    public static IpamPools None { get; } = new([], []);
}
