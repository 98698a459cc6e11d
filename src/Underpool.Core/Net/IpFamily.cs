namespace Underpool.Core.Net;

/// <summary>The IP family of an address, subnet or pool.</summary>
public enum IpFamily : byte
{
    V4 = 4,
    V6 = 6,
}

/// <summary>Names of the families as users and CNI configs spell them.</summary>
public static class IpFamilyNames
{
    /// <summary>"ipv4" or "ipv6": the key a CNI config and the API use.</summary>
    public static string ToConfigKey(this IpFamily family) => family == IpFamily.V4 ? "ipv4" : "ipv6";

    /// <summary>"IPv4" or "IPv6": for messages.</summary>
    public static string ToDisplay(this IpFamily family) => family == IpFamily.V4 ? "IPv4" : "IPv6";

    public static int BitLength(this IpFamily family) => family == IpFamily.V4 ? 32 : 128;
}
