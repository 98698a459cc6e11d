namespace Underpool.Cni;

/// <summary>One assigned address of a result.</summary>
/// <param name="Address">The address with its subnet's prefix length, like "10.0.0.5/24" or "fd00::5/64".</param>
/// <param name="Gateway">The subnet's gateway, like "10.0.0.1", when there is one.</param>
public sealed record IpConfig(string Address, string? Gateway = null)
{
    /// <summary>"6" for an IPv6 address, else "4": the value 0.3.x and 0.4.0 results carry in <c>ips[].version</c>.</summary>
    public string Family => Address.Contains(':', StringComparison.Ordinal) ? "6" : "4";
}
