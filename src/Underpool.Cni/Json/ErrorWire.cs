using System.Text.Json.Serialization;

namespace Underpool.Cni.Json;

/// <summary>The spec's error object as printed.</summary>
internal sealed class ErrorWire
{
    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; init; }

    [JsonPropertyName("code")]
    public required int Code { get; init; }

    [JsonPropertyName("msg")]
    public required string Msg { get; init; }

    [JsonPropertyName("details")]
    public string? Details { get; init; }
}
