using System.Text.Json.Serialization;

namespace Underpool.Store.Etcd;

/// <summary>The value of a node key: labels (sorted, so equal sets are equal text), when the node first registered,
/// when its current alive lease was granted (the last time the store heard of it that it keeps), and the MACs of the
/// uplinks its agent probes on (sorted; absent in documents written before agents recorded them).</summary>
internal sealed class NodeDocument
{
    public required SortedDictionary<string, string> Labels { get; init; }

    public required string RegisteredAt { get; init; }

    public required string LeaseGrantedAt { get; init; }

    public List<string>? UplinkMacs { get; init; }
}

/// <summary>Source-generated JSON for <see cref="NodeDocument"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NodeDocument))]
internal sealed partial class NodeDocumentJsonContext : JsonSerializerContext;
