using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Underpool.Plugin.Tests;

/// <summary>Runs the plugin in this process as a runtime would exec it: CNI_* variables, the netconf on stdin,
/// stdout captured.</summary>
internal sealed class PluginRunner
{
    private const string CniPath = "/opt/cni/bin:/usr/lib/cni";

    public PluginRunner(string socket, string network = NetConf.DefaultNetwork)
    {
        Socket = socket;
        Network = network;
    }

    public string Socket { get; }

    public string Network { get; }

    /// <summary>This runner's netconf; see <see cref="NetConf.Build"/>.</summary>
    public JsonObject Config(string cniVersion = "1.0.0", string[]? v4 = null, string[]? v6 = null) =>
        NetConf.Build(Socket, Network, cniVersion, v4, v6);

    public Task<PluginOutcome> AddAsync(
        string containerId = "c1", string ifName = "eth0", string[]? v4 = null, string[]? v6 = null, string cniVersion = "1.0.0", string? args = null) =>
        RunAsync("ADD", Config(cniVersion, v4 ?? ["v4"], v6), containerId, ifName, args: args);

    public Task<PluginOutcome> DelAsync(string containerId = "c1", string ifName = "eth0", bool withNetNs = true) =>
        RunAsync("DEL", Config(v4: ["v4"]), containerId, ifName, withNetNs: withNetNs);

    /// <summary>A verb that names a container (ADD, DEL, CHECK); a null argument leaves its variable unset.</summary>
    public static Task<PluginOutcome> RunAsync(
        string command, JsonNode config, string? containerId = "c1", string? ifName = "eth0", bool withNetNs = true, string? args = null) =>
        RunRawAsync(Environment(command, containerId, ifName, withNetNs, args), Encoding.UTF8.GetBytes(config.ToJsonString()));

    /// <summary>A verb without a container (STATUS, GC, VERSION): only CNI_COMMAND and CNI_PATH are set, as the spec says.</summary>
    public static Task<PluginOutcome> RunWithoutContainerAsync(string command, JsonNode config) =>
        RunRawAsync(
            new Dictionary<string, string?>(StringComparer.Ordinal) { ["CNI_COMMAND"] = command, ["CNI_PATH"] = CniPath },
            Encoding.UTF8.GetBytes(config.ToJsonString()));

    public static Dictionary<string, string?> Environment(
        string command, string? containerId = "c1", string? ifName = "eth0", bool withNetNs = true, string? args = null) =>
        new(StringComparer.Ordinal)
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = withNetNs ? $"/var/run/netns/{containerId ?? "none"}" : null,
            ["CNI_IFNAME"] = ifName,
            ["CNI_ARGS"] = args,
            ["CNI_PATH"] = CniPath,
        };

    public static async Task<PluginOutcome> RunRawAsync(IReadOnlyDictionary<string, string?> environment, byte[] stdin)
    {
        using var input = new MemoryStream(stdin, writable: false);
        using var output = new MemoryStream();
        // The plugin blocks on its agent call; off the test's thread, with a deadline so a hang fails the test.
        int exitCode = await Task.Run(() => PluginApp.Run(environment, input, output)).WaitAsync(TimeSpan.FromSeconds(20));
        string text = Encoding.UTF8.GetString(output.ToArray());
        JsonElement? json = null;
        if (text.Length > 0)
        {
            using var document = JsonDocument.Parse(text);
            json = document.RootElement.Clone();
        }

        return new PluginOutcome(exitCode, text, json);
    }
}
