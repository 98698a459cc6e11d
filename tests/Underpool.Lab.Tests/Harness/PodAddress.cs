using System.Net;
using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>Reads what addresses an interface inside a namespace really holds (<c>ip -j addr</c>).</summary>
public static class PodAddress
{
    /// <summary>
    /// The interface's IPv4 and IPv6 addresses in kernel order. IPv6 link-local addresses (which the kernel
    /// adds by itself) are left out unless <paramref name="includeLinkLocal"/>.
    /// </summary>
    public static async Task<IReadOnlyList<InterfaceAddress>> ReadAsync(
        NetworkNamespace ns, string ifName, bool includeLinkLocal = false, CancellationToken cancellationToken = default)
    {
        var result = await IpRoute2.RunAsync(["-j", "-n", ns.Name, "addr", "show", "dev", ifName], cancellationToken);
        using var document = JsonDocument.Parse(result.StandardOutput);
        var addresses = new List<InterfaceAddress>();
        foreach (var link in document.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("addr_info", out var infos))
            {
                continue;
            }

            foreach (var info in infos.EnumerateArray())
            {
                var family = info.GetProperty("family").GetString();
                if (family is not ("inet" or "inet6"))
                {
                    continue;
                }

                var address = IPAddress.Parse(info.GetProperty("local").GetString() ?? string.Empty);
                if (includeLinkLocal || !address.IsIPv6LinkLocal)
                {
                    addresses.Add(new InterfaceAddress(address, info.GetProperty("prefixlen").GetInt32()));
                }
            }
        }

        return addresses;
    }
}
