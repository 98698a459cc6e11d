using System.Text.Json.Serialization;

namespace Underpool.Cni;

/// <summary>The DNS settings of a result; every field is optional.</summary>
public sealed record DnsConfig(
    [property: JsonPropertyName("nameservers")] IReadOnlyList<string>? Nameservers = null,
    [property: JsonPropertyName("domain")] string? Domain = null,
    [property: JsonPropertyName("search")] IReadOnlyList<string>? Search = null,
    [property: JsonPropertyName("options")] IReadOnlyList<string>? Options = null);
