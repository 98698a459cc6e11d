using System.Text.Json.Serialization;

namespace Underpool.Store.Etcd;

/// <summary>Source-generated (reflection-free) JSON for <see cref="AllocationDocument"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AllocationDocument))]
[JsonSerializable(typeof(List<AllocationDocument>))]
internal sealed partial class AllocationJsonContext : JsonSerializerContext;
