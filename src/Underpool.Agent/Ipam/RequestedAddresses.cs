using System.Globalization;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Ipam;

/// <summary>The addresses a runtime asked for (podman --ip, the CNI ips capability): at most one per family, each
/// "10.0.0.5" or "10.0.0.5/24", where a prefix, when given, must be the one of the pool the address comes from.</summary>
internal sealed record RequestedAddresses(
    IReadOnlyDictionary<IpFamily, IpAddress> ByFamily,
    IReadOnlyDictionary<IpAddress, int> Prefixes)
{
    private const string Type = "invalid-requested-address";

    public static Outcome<RequestedAddresses> Parse(IReadOnlyList<string> requested)
    {
        var byFamily = new Dictionary<IpFamily, IpAddress>();
        var prefixes = new Dictionary<IpAddress, int>();
        foreach (string text in requested)
        {
            int slash = text.IndexOf('/', StringComparison.Ordinal);
            string addressText = slash < 0 ? text : text[..slash];
            if (!IpAddress.TryParse(addressText, out IpAddress address))
            {
                return Invalid($"the requested address '{text}' is not an IP address; expected an address like 10.0.0.5 or 10.0.0.5/24");
            }

            if (slash >= 0)
            {
                int bits = address.Family.BitLength();
                if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > bits)
                {
                    return Invalid(
                        $"the requested address '{text}' has an invalid prefix length '{text[(slash + 1)..]}'; an {address.Family.ToDisplay()} "
                        + $"prefix is a number from 0 to {bits}, and it must be the pool's (or leave it out: '{address}')");
                }

                prefixes[address] = prefix;
            }

            if (byFamily.TryGetValue(address.Family, out IpAddress other) && other != address)
            {
                return Invalid(
                    $"two {address.Family.ToDisplay()} addresses were requested ({other}, {address}); one interface gets one address per family");
            }

            byFamily[address.Family] = address;
        }

        return new RequestedAddresses(byFamily, prefixes);
    }

    /// <summary>Refuses a requested prefix that differs from the subnet of the candidate pool holding the address: the
    /// result would give the interface another subnet than the pool's (and its neighbours') own.</summary>
    public Failure? CheckPrefixes(IReadOnlyList<IReadOnlyList<PoolSpec>> candidates)
    {
        foreach ((IpAddress address, int prefix) in Prefixes)
        {
            PoolSpec? pool = candidates.SelectMany(pools => pools).FirstOrDefault(p => p.Subnet.Contains(address));
            if (pool is not null && pool.Subnet.PrefixLength != prefix)
            {
                return Invalid(
                    $"the requested address {address}/{prefix} has prefix /{prefix}, but it comes from pool '{pool.Name}' ({pool.Subnet}); "
                    + $"ask for {address}/{pool.Subnet.PrefixLength} or {address}");
            }
        }

        return null;
    }

    private static Failure Invalid(string detail) => new(Type, 400, detail, 7);
}
