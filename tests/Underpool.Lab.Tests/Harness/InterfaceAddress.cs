using System.Net;

namespace Underpool.Lab.Tests;

/// <summary>An address with its prefix length as an interface holds it, e.g. 172.20.1.10/24.</summary>
public readonly record struct InterfaceAddress(IPAddress Address, int PrefixLength)
{
    public static InterfaceAddress Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            || !int.TryParse(cidr.AsSpan(slash + 1), out var prefixLength)
            ? throw new FormatException($"'{cidr}' is not an address/prefix-length.")
            : new InterfaceAddress(address, prefixLength);
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}
