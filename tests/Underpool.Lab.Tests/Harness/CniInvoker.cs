using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Underpool.Lab.Tests;

/// <summary>
/// Calls a CNI plugin the way a runtime does: finds the config's <c>type</c> in the plugin directories, runs it
/// inside a node namespace (never the root namespace: macvlan looks its master up where it runs) with the
/// CNI_* environment and the config on stdin.
/// </summary>
public sealed class CniInvoker
{
    /// <param name="pluginDirectories">CNI_PATH in search order; put our own plugin's folder first to override.</param>
    public CniInvoker(IEnumerable<string>? pluginDirectories = null)
    {
        PluginDirectories = pluginDirectories?.ToList() ?? [LabPrerequisites.DebianCniDirectory];
        if (PluginDirectories.Count == 0)
        {
            throw new ArgumentException("At least one plugin directory is needed.", nameof(pluginDirectories));
        }
    }

    public IReadOnlyList<string> PluginDirectories { get; }

    /// <summary>The first <paramref name="type"/> binary on the plugin path.</summary>
    public string FindPlugin(string type) =>
        PluginDirectories.Select(directory => Path.Combine(directory, type)).FirstOrDefault(File.Exists)
        ?? throw new LabUnavailableException(
            $"CNI plugin '{type}' is in none of {string.Join(':', PluginDirectories)}" +
            (PluginDirectories.Contains(LabPrerequisites.DebianCniDirectory)
                ? "; the reference plugins come from: apt-get install containernetworking-plugins."
                : "."));

    public async Task<CniInvocation> InvokeAsync(CniRequest request, CancellationToken cancellationToken = default)
    {
        var config = JsonNode.Parse(request.Config)?.AsObject()
            ?? throw new ArgumentException("The network config is not a JSON object.", nameof(request));
        var type = config["type"]?.GetValue<string>()
            ?? throw new ArgumentException("The network config has no \"type\".", nameof(request));
        if (request.PrevResult is { } prevResult)
        {
            config["prevResult"] = JsonNode.Parse(prevResult.GetRawText());
        }

        var environment = new Dictionary<string, string?>(request.Environment ?? new Dictionary<string, string?>())
        {
            ["CNI_COMMAND"] = request.Command.ToString().ToUpperInvariant(),
            ["CNI_CONTAINERID"] = request.ContainerId,
            ["CNI_NETNS"] = request.NetNs,
            ["CNI_IFNAME"] = request.IfName,
            ["CNI_ARGS"] = request.Args,
            ["CNI_PATH"] = string.Join(':', PluginDirectories),
        };
        var stdin = Encoding.UTF8.GetBytes(config.ToJsonString());
        var process = await request.Node.ExecAsync(
            FindPlugin(type), [], stdin, environment, request.Timeout, cancellationToken);
        return CniInvocation.From(request, process);
    }
}
