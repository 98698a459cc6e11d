using System.Text.Json.Serialization;

namespace Underpool.Cni.Json;

/// <summary>The abbreviated IPAM result as printed, in the shape of one particular cniVersion.</summary>
internal sealed class ResultWire
{
    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; init; }

    [JsonPropertyName("ips")]
    public required IReadOnlyList<IpWire> Ips { get; init; }

    [JsonPropertyName("routes")]
    public IReadOnlyList<RouteConfig>? Routes { get; init; }

    [JsonPropertyName("dns")]
    public DnsConfig? Dns { get; init; }
}

/// <summary>One <c>ips[]</c> entry; <see cref="Version"/> is set only for 0.3.x and 0.4.0.</summary>
internal sealed class IpWire
{
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("address")]
    public required string Address { get; init; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; init; }
}
