using System.Text.Json;
using Underpool.Cni.Json;

namespace Underpool.Cni;

/// <summary>The <c>ipam</c> section of the network configuration; unknown fields are ignored.</summary>
/// <param name="Static">ipam.static: every endpoint of this network keeps its addresses across DEL (released only
/// explicitly), so an instance that comes back under the same name gets them again.</param>
public sealed record IpamConfig(string? Type, string Socket, IpamPools Pools, bool Static = false)
{
    public const string DefaultSocket = "/run/underpool/agent.sock";

    public static IpamConfig Default { get; } = new(null, DefaultSocket, IpamPools.None);

    internal static CniError? Read(JsonElement? ipam, out IpamConfig config)
    {
        config = Default;
        if (ipam is not JsonElement section)
        {
            return null;
        }

        if (JsonFields.OptionalString(section, "type", "ipam.type", out string? type) is { } typeError)
        {
            return typeError;
        }

        if (JsonFields.OptionalString(section, "socket", "ipam.socket", out string? socket) is { } socketError)
        {
            return socketError;
        }

        // The plugin's working folder is the runtime's, so a relative socket path would point anywhere.
        if (socket is not null && !socket.StartsWith('/'))
        {
            return new CniError(
                CniErrorCode.InvalidNetworkConfig,
                $"ipam.socket \"{socket}\" is not an absolute path; expected the agent's Unix socket, like \"{DefaultSocket}\" (or leave it out for that default)");
        }

        if (ReadPools(section, out IpamPools pools) is { } poolsError)
        {
            return poolsError;
        }

        if (JsonFields.OptionalBool(section, "static", "ipam.static", out bool isStatic) is { } staticError)
        {
            return staticError;
        }

        config = new IpamConfig(type, socket ?? DefaultSocket, pools, isStatic);
        return null;
    }

    private static CniError? ReadPools(JsonElement section, out IpamPools pools)
    {
        pools = IpamPools.None;
        if (JsonFields.OptionalObject(section, "pools", "ipam.pools", out JsonElement? found) is { } error)
        {
            return new CniError(error.Code, $"{error.Msg}; expected {{\"ipv4\": [\"pool-a\"], \"ipv6\": [\"pool-b\"]}}");
        }

        if (found is not JsonElement poolsObject)
        {
            return null;
        }

        // Our own schema, so a typo like "IPv4" would silently drop a pool choice: reject unknown keys.
        foreach (JsonProperty property in poolsObject.EnumerateObject())
        {
            if (property.Name is not ("ipv4" or "ipv6"))
            {
                return new CniError(
                    CniErrorCode.InvalidNetworkConfig,
                    $"ipam.pools has an unknown key \"{property.Name}\"; expected \"ipv4\" and/or \"ipv6\", each a list of pool names");
            }
        }

        if (JsonFields.OptionalStringList(poolsObject, "ipv4", "ipam.pools.ipv4", "[\"pool-a\"]", out IReadOnlyList<string> ipv4) is { } v4Error)
        {
            return v4Error;
        }

        if (JsonFields.OptionalStringList(poolsObject, "ipv6", "ipam.pools.ipv6", "[\"pool-b\"]", out IReadOnlyList<string> ipv6) is { } v6Error)
        {
            return v6Error;
        }

        pools = new IpamPools(ipv4, ipv6);
        return null;
    }
}
