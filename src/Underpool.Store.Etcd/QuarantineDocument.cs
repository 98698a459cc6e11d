using System.Text.Json.Serialization;

namespace Underpool.Store.Etcd;

/// <summary>The value of a quarantine key (the address is the key): who answered for it, where and when.</summary>
internal sealed class QuarantineDocument
{
    public required string Pool { get; init; }

    public required string Mac { get; init; }

    public required string Node { get; init; }

    public required string Interface { get; init; }

    public required string DetectedAt { get; init; }
}

/// <summary>Source-generated JSON for <see cref="QuarantineDocument"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(QuarantineDocument))]
internal sealed partial class QuarantineDocumentJsonContext : JsonSerializerContext;
