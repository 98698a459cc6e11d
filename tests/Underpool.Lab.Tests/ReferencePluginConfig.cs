using System.Text.Json.Nodes;

namespace Underpool.Lab.Tests;

/// <summary>Network configs for Debian's reference plugins (containernetworking-plugins 1.1.1: cniVersion ≤ 1.0.0).</summary>
internal static class ReferencePluginConfig
{
    /// <summary>macvlan in bridge mode on the node's uplink, addresses from host-local's node-local files.</summary>
    public static string MacvlanWithHostLocal(string subnet, string rangeStart, string rangeEnd, string dataDir) =>
        new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "lab-underlay",
            ["type"] = "macvlan",
            ["master"] = LabNode.Uplink,
            ["mode"] = "bridge",
            ["ipam"] = new JsonObject
            {
                ["type"] = "host-local",
                ["ranges"] = new JsonArray(new JsonArray(new JsonObject
                {
                    ["subnet"] = subnet,
                    ["rangeStart"] = rangeStart,
                    ["rangeEnd"] = rangeEnd,
                })),
                ["dataDir"] = dataDir,
            },
        }.ToJsonString();
}
