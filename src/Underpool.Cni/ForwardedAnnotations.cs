using System.Text.Json;

namespace Underpool.Cni;

/// <summary>Underpool's pod annotations (<c>underpool.io/...</c>) where a runtime or Multus puts them in the network
/// configuration: <c>args.cni</c> (Multus copies a network selection element's <c>cni-args</c> there) and
/// <c>runtimeConfig["io.kubernetes.cri.pod-annotations"]</c> (containerd's and CRI-O's capability). Only ours are kept:
/// a pod's other annotations (kubectl's last-applied-configuration) can be kilobytes each. The agent decides what they
/// mean; here they are only picked out, never judged, so a malformed one reaches the agent and is named in its error.</summary>
public static class ForwardedAnnotations
{
    public const string Prefix = "underpool.io/";

    /// <summary>The runtimeConfig key containerd and CRI-O fill with the pod's annotations when a plugin declares the
    /// capability.</summary>
    public const string CriPodAnnotations = "io.kubernetes.cri.pod-annotations";

    /// <summary>The <c>underpool.io/</c> entries of <c>args.cni</c>, as the JSON they are (a string, or an array or object).</summary>
    public static IReadOnlyDictionary<string, JsonElement> FromArgs(JsonElement? args)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (args is { ValueKind: JsonValueKind.Object } section
            && section.TryGetProperty("cni", out JsonElement cni) && cni.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in cni.EnumerateObject())
            {
                if (entry.Name.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    found[entry.Name] = entry.Value.Clone();
                }
            }
        }

        return found;
    }

    /// <summary>The <c>underpool.io/</c> string entries of the runtime's pod annotations (annotations are strings; any
    /// other value is not an annotation and is left out).</summary>
    public static IReadOnlyDictionary<string, string> FromRuntimeConfig(JsonElement runtimeConfig)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (runtimeConfig.ValueKind == JsonValueKind.Object
            && runtimeConfig.TryGetProperty(CriPodAnnotations, out JsonElement annotations) && annotations.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in annotations.EnumerateObject())
            {
                if (entry.Name.StartsWith(Prefix, StringComparison.Ordinal) && entry.Value.ValueKind == JsonValueKind.String)
                {
                    found[entry.Name] = entry.Value.GetString()!;
                }
            }
        }

        return found;
    }
}
