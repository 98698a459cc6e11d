using Underpool.Core.Net;

namespace Underpool.Agent.Ipam;

/// <summary>The addresses a runtime asked for (podman --ip, the CNI ips capability): at most one per family.</summary>
internal static class RequestedAddresses
{
    /// <summary>The addresses by family; "10.0.0.5/24" and "10.0.0.5" both mean 10.0.0.5 (the prefix is the pool's).</summary>
    public static Outcome<Dictionary<IpFamily, IpAddress>> Parse(IReadOnlyList<string> requested)
    {
        var byFamily = new Dictionary<IpFamily, IpAddress>();
        foreach (string text in requested)
        {
            int slash = text.IndexOf('/', StringComparison.Ordinal);
            string addressText = slash < 0 ? text : text[..slash];
            if (!IpAddress.TryParse(addressText, out IpAddress address))
            {
                return new Failure("invalid-requested-address", 400, $"the requested address '{text}' is not an IP address", 7);
            }

            if (byFamily.TryGetValue(address.Family, out IpAddress other) && other != address)
            {
                return new Failure(
                    "invalid-requested-address",
                    400,
                    $"two {address.Family.ToDisplay()} addresses were requested ({other}, {address}); one interface gets one address per family",
                    7);
            }

            byFamily[address.Family] = address;
        }

        return byFamily;
    }
}
