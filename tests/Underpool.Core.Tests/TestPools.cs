using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Core.Tests;

/// <summary>Short ways to write pools in tests.</summary>
internal static class TestPools
{
    public static PoolSpec Pool(
        string name,
        string subnet,
        string[]? ranges = null,
        string[]? exclude = null,
        string? gateway = null) =>
        new()
        {
            Name = name,
            Subnet = IpCidr.Parse(subnet),
            Ranges = (ranges ?? []).Select(IpRange.Parse).ToArray(),
            Exclude = (exclude ?? []).Select(IpAddress.Parse).ToArray(),
            Gateway = gateway is null ? null : IpAddress.Parse(gateway),
        };

    public static IpAddress Ip(string text) => IpAddress.Parse(text);

    public static NodeIdentity Node(string name, params (string Key, string Value)[] labels) =>
        new(name, labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal));

    public static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
}
