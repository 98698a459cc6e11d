using System.Text.Json.Nodes;

namespace Underpool.Plugin.Tests;

/// <summary>Network configs as a runtime writes them to the plugin's stdin: a main plugin with our ipam section.</summary>
internal static class NetConf
{
    public const string DefaultNetwork = "underlay";

    /// <summary>A config naming <paramref name="v4"/>/<paramref name="v6"/> pools (a null list is left out); tests
    /// add prevResult, runtimeConfig or GC keys to the returned object.</summary>
    public static JsonObject Build(
        string socket, string network = DefaultNetwork, string cniVersion = "1.0.0", string[]? v4 = null, string[]? v6 = null)
    {
        var pools = new JsonObject();
        if (v4 is not null)
        {
            pools["ipv4"] = new JsonArray(v4.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        }

        if (v6 is not null)
        {
            pools["ipv6"] = new JsonArray(v6.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        }

        return new JsonObject
        {
            ["cniVersion"] = cniVersion,
            ["name"] = network,
            ["type"] = "macvlan",
            ["master"] = "eth0",
            ["ipam"] = new JsonObject
            {
                ["type"] = "underpool",
                ["socket"] = socket,
                ["pools"] = pools,
            },
        };
    }

    /// <summary>The GC list of attachments the runtime still uses, as <c>[{containerID, ifname}]</c>.</summary>
    public static JsonArray Attachments(params (string ContainerId, string IfName)[] attachments) =>
        new(attachments.Select(a => (JsonNode?)new JsonObject { ["containerID"] = a.ContainerId, ["ifname"] = a.IfName }).ToArray());
}
