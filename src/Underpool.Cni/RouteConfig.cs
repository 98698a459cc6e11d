using System.Text.Json.Serialization;

namespace Underpool.Cni;

/// <summary>One route of a result.</summary>
/// <param name="Dst">The destination, like "0.0.0.0/0".</param>
/// <param name="Gw">The next hop, when not the interface's default gateway.</param>
public sealed record RouteConfig(
    [property: JsonPropertyName("dst")] string Dst,
    [property: JsonPropertyName("gw")] string? Gw = null);
