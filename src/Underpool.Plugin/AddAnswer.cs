using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Underpool.Api.Contracts;

namespace Underpool.Plugin;

/// <summary>Checks the agent's answer to an ADD before the runtime sees it as the pod's addresses: whatever answered on
/// the socket (another version of the agent, something else listening there) must not configure a pod with nothing,
/// with half of a dual-stack request, or with text that is not an address.</summary>
internal static class AddAnswer
{
    /// <summary>What is wrong with <paramref name="answer"/> for a request that named <paramref name="asked"/>, or null
    /// when it can be passed on.</summary>
    public static string? Problem(CniAddResponse answer, PoolChoice asked)
    {
        if (answer.Ips is not { Count: > 0 } ips)
        {
            return "it is a success without any address";
        }

        var families = new HashSet<AddressFamily>();
        for (int i = 0; i < ips.Count; i++)
        {
            if (IpProblem(ips[i], $"ips[{i}]", out AddressFamily family) is { } problem)
            {
                return problem;
            }

            families.Add(family);
        }

        if (FamilyProblem(families, asked) is { } familyProblem)
        {
            return familyProblem;
        }

        IReadOnlyList<AssignedRoute> routes = answer.Routes ?? [];
        for (int i = 0; i < routes.Count; i++)
        {
            if (RouteProblem(routes[i], $"routes[{i}]") is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? IpProblem(AssignedAddress? ip, string path, out AddressFamily family)
    {
        family = AddressFamily.Unknown;
        if (ip is null)
        {
            return $"{path} is null";
        }

        if (!TryParseWithPrefix(ip.Address, out IPAddress? address))
        {
            return $"{path}.address {Show(ip.Address)} is not an address with its prefix length, like 10.0.0.5/24";
        }

        family = address.AddressFamily;
        string familyName = Name(family);
        if (ip.Family != familyName)
        {
            return $"{path}.family is {Show(ip.Family)} but its address {ip.Address} is {familyName}";
        }

        if (ip.Gateway is { } gateway && (!TryParseAddress(gateway, out IPAddress? via) || via.AddressFamily != family))
        {
            return $"{path}.gateway {Show(gateway)} is not an {familyName} address, as its address {ip.Address} is";
        }

        return null;
    }

    /// <summary>A network config that names pools of a family asks for an address of that family, and only those.</summary>
    private static string? FamilyProblem(HashSet<AddressFamily> families, PoolChoice asked)
    {
        bool namesV4 = asked.Ipv4.Count > 0;
        bool namesV6 = asked.Ipv6.Count > 0;
        if (!namesV4 && !namesV6)
        {
            return null; // The families' default pools: whichever exist.
        }

        foreach ((AddressFamily family, bool named, string key) in new[]
                 {
                     (AddressFamily.InterNetwork, namesV4, "ipv4"), (AddressFamily.InterNetworkV6, namesV6, "ipv6"),
                 })
        {
            if (named && !families.Contains(family))
            {
                return $"it holds no {key} address, though the network config names {key} pools (ipam.pools.{key})";
            }

            if (!named && families.Contains(family))
            {
                return $"it holds an {key} address, though the network config names no {key} pool";
            }
        }

        return null;
    }

    private static string? RouteProblem(AssignedRoute? route, string path)
    {
        if (route is null)
        {
            return $"{path} is null";
        }

        if (!TryParseWithPrefix(route.Dst, out IPAddress? destination))
        {
            return $"{path}.dst {Show(route.Dst)} is not a destination with its prefix length, like 0.0.0.0/0";
        }

        if (route.Gw is { } gw && (!TryParseAddress(gw, out IPAddress? via) || via.AddressFamily != destination.AddressFamily))
        {
            return $"{path}.gw {Show(gw)} is not an {Name(destination.AddressFamily)} address, as its destination {route.Dst} is";
        }

        return null;
    }

    /// <summary>"10.0.0.5/24" or "fd00::5/64": an address, '/', and a prefix length no longer than the family's.</summary>
    private static bool TryParseWithPrefix(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0
               && TryParseAddress(text![..slash], out address)
               && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix)
               && prefix <= (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>Strict: IPAddress.TryParse also takes "10.1" (10.0.0.1), a zone ("fe80::1%eth0") and brackets, none of
    /// which the agent writes.</summary>
    private static bool TryParseAddress(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.AsSpan().IndexOfAny("%[] ") >= 0 || !IPAddress.TryParse(text, out IPAddress? parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork && parsed.ToString() != text)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static string Name(AddressFamily family) => family == AddressFamily.InterNetwork ? "ipv4" : "ipv6";

    private static string Show(string? text) => text is null ? "missing" : text.Length <= 60 ? $"'{text}'" : $"'{text[..60]}...'";
}
