using System.Text.Json.Serialization;

namespace Underpool.Store.Documents;

/// <summary>Source-generated (reflection-free) JSON for <see cref="PoolSpecDocument"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PoolSpecDocument))]
internal sealed partial class PoolSpecJsonContext : JsonSerializerContext;
