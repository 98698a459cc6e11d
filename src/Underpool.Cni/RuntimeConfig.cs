using System.Text.Json;
using Underpool.Cni.Json;

namespace Underpool.Cni;

/// <summary>The <c>runtimeConfig</c> capabilities this plugin reads.</summary>
/// <param name="Ips">The <c>ips</c> capability: requested addresses such as "10.0.0.5/24" or "10.0.0.5", unvalidated.</param>
/// <param name="IpRanges">The <c>ipRanges</c> capability, kept as raw JSON.</param>
public sealed record RuntimeConfig(IReadOnlyList<string> Ips, JsonElement? IpRanges)
{
    public static RuntimeConfig Empty { get; } = new([], null);

    /// <summary>The pod's <c>underpool.io/</c> annotations from containerd's or CRI-O's
    /// <c>io.kubernetes.cri.pod-annotations</c> capability; empty when the runtime sent none.</summary>
    public IReadOnlyDictionary<string, string> PodAnnotations { get; init; } = new Dictionary<string, string>();

    internal static CniError? Read(JsonElement? runtimeConfig, out RuntimeConfig config)
    {
        config = Empty;
        if (runtimeConfig is not JsonElement section)
        {
            return null;
        }

        if (JsonFields.OptionalStringList(section, "ips", "runtimeConfig.ips", "[\"10.0.0.5/24\"]", out IReadOnlyList<string> ips) is { } error)
        {
            return error;
        }

        // Clone: the parsed document is disposed once the config is read.
        JsonElement? ipRanges = JsonFields.TryGet(section, "ipRanges", out JsonElement ranges) ? ranges.Clone() : null;
        config = new RuntimeConfig(ips, ipRanges) { PodAnnotations = ForwardedAnnotations.FromRuntimeConfig(section) };
        return null;
    }
}
