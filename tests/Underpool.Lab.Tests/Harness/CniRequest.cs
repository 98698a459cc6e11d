using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>
/// One plugin call as a runtime makes it: the verb, the node namespace the plugin runs in, the CNI_* values
/// and the network configuration. Reuse one request for the later verbs: <c>add with { Command = CniVerb.Del }</c>.
/// </summary>
public sealed record CniRequest(CniVerb Command, NetworkNamespace Node, string Config)
{
    public string? ContainerId { get; init; }

    /// <summary>CNI_NETNS: a pod namespace's path.</summary>
    public string? NetNs { get; init; }

    public string? IfName { get; init; }

    /// <summary>CNI_ARGS, e.g. <c>IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=pod</c>.</summary>
    public string? Args { get; init; }

    /// <summary>A previous ADD result; like libcni, the invoker puts it into the config as <c>prevResult</c>.</summary>
    public JsonElement? PrevResult { get; init; }

    /// <summary>More environment for the plugin (a null value unsets a variable).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>An ADD of interface <paramref name="ifName"/> in pod namespace <paramref name="pod"/>.</summary>
    public static CniRequest Add(NetworkNamespace node, NetworkNamespace pod, string containerId, string ifName, string config) =>
        new(CniVerb.Add, node, config) { ContainerId = containerId, NetNs = pod.Path, IfName = ifName };
}
