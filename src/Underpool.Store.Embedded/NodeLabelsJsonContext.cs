using System.Text.Json.Serialization;

namespace Underpool.Store.Embedded;

/// <summary>Source-generated JSON for a node's labels (sorted, so equal label sets are stored as equal text) and its
/// uplink MACs (a sorted list).</summary>
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class NodeLabelsJsonContext : JsonSerializerContext;
