using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Underpool.Cli.Import;

/// <summary>One Kubernetes object of a `kubectl get -o yaml|json` listing, read through YamlDotNet's node model (no
/// reflection, so it works under NativeAOT), with messages that name the object and the line.</summary>
internal sealed class KubeObject(YamlMappingNode node, string source)
{
    public YamlMappingNode Node => node;

    public string Kind => Text(node, "kind") ?? "object";

    public string ApiVersion => Text(node, "apiVersion") ?? string.Empty;

    public string Name => Text(Child(node, "metadata"), "name") ?? string.Empty;

    /// <summary>"namespace/name", or the name of a cluster-scoped object.</summary>
    public string Id => Text(Child(node, "metadata"), "namespace") is { } ns ? $"{ns}/{Name}" : Name;

    /// <summary>"FILE:LINE: KIND ID: <paramref name="problem"/>", LINE being where <paramref name="at"/> starts.</summary>
    public string Error(YamlNode? at, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}:{(at ?? node).Start.Line}: {Kind} {Id}: {problem}");

    /// <summary>The node at a dotted path of mapping keys ("spec.allocations"), or null when any step is missing or null.</summary>
    public YamlNode? Find(string path)
    {
        YamlNode? at = node;
        foreach (string key in path.Split('.'))
        {
            at = Child(at, key);
        }

        return at;
    }

    /// <summary>The text at a dotted path, or null when it is missing or null.</summary>
    public string? Text(string path) => Find(path) is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>The child of a mapping under <paramref name="key"/>; null when there is none, or it is null.</summary>
    public static YamlNode? Child(YamlNode? parent, string key) =>
        parent is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) && !IsNull(child)
            ? child
            : null;

    public static string? Text(YamlNode? parent, string key) => Child(parent, key) is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>YAML's null (an empty plain scalar, ~, null), which JSON's null also reads as.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
