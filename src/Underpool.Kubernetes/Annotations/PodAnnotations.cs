using System.Text.Json;

namespace Underpool.Kubernetes.Annotations;

/// <summary>A pod's <c>underpool.io/</c> annotations merged from the three places they can come from. For one
/// annotation present in several, <see cref="AnnotationSource.CniArgs"/> wins (Multus' cni-args are per network, so
/// more specific than the pod's annotations), then the API server's copy (current), then the runtime's copy (the same
/// annotations as they were when the sandbox was created; only used when the agent has no API access or the API copy
/// lacks it).</summary>
internal sealed class PodAnnotations
{
    private readonly Dictionary<string, (string Value, AnnotationSource Source)> _values = new(StringComparer.Ordinal);

    public static PodAnnotations Empty { get; } = new();

    public static PodAnnotations From(
        IReadOnlyDictionary<string, JsonElement>? cniArgs,
        IReadOnlyDictionary<string, string>? api,
        IReadOnlyDictionary<string, string>? runtime)
    {
        var merged = new PodAnnotations();
        merged.Add(runtime, AnnotationSource.Runtime);
        merged.Add(api, AnnotationSource.Api);
        if (cniArgs is not null)
        {
            // cni-args values may be JSON strings holding the annotation text, or the JSON itself (an array or object):
            // both are accepted, so a NetworkAttachmentDefinition can write either.
            merged.Add(cniArgs.ToDictionary(a => a.Key, a => a.Value.ValueKind == JsonValueKind.String ? a.Value.GetString()! : a.Value.GetRawText()), AnnotationSource.CniArgs);
        }

        return merged;
    }

    public bool TryGet(string annotation, out string value, out AnnotationSource source)
    {
        bool found = _values.TryGetValue(annotation, out (string Value, AnnotationSource Source) entry);
        (value, source) = found ? entry : ("", AnnotationSource.Api);
        return found;
    }

    /// <summary>Later sources overwrite earlier ones: callers add from the least specific to the most.</summary>
    private void Add(IReadOnlyDictionary<string, string>? annotations, AnnotationSource source)
    {
        if (annotations is null)
        {
            return;
        }

        foreach ((string key, string value) in annotations)
        {
            if (key.StartsWith(UnderpoolAnnotations.Prefix, StringComparison.Ordinal))
            {
                _values[key] = (value, source);
            }
        }
    }
}
