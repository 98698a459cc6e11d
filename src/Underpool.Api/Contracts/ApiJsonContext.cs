using System.Text.Json;
using System.Text.Json.Serialization;

namespace Underpool.Api.Contracts;

/// <summary>Source-generated JSON for every contract: camelCase on the wire, AOT-safe for plugin and CLI.</summary>
/// <remarks>Nullable annotations are enforced, so <c>"pools": null</c> is refused at the door rather than meeting a
/// non-nullable property in the agent.</remarks>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CniAddRequest))]
[JsonSerializable(typeof(CniAddResponse))]
[JsonSerializable(typeof(CniDelRequest))]
[JsonSerializable(typeof(CniDelResponse))]
[JsonSerializable(typeof(CniCheckRequest))]
[JsonSerializable(typeof(CniCheckResponse))]
[JsonSerializable(typeof(CniGcRequest))]
[JsonSerializable(typeof(CniGcResponse))]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(PoolDefinition))]
[JsonSerializable(typeof(PoolView))]
[JsonSerializable(typeof(IReadOnlyList<PoolView>))]
[JsonSerializable(typeof(PoolDeleteResponse))]
[JsonSerializable(typeof(PoolUpdate))]
[JsonSerializable(typeof(ReservedChange))]
[JsonSerializable(typeof(ReservedList))]
[JsonSerializable(typeof(ReservedChangeResponse))]
[JsonSerializable(typeof(AllocationView))]
[JsonSerializable(typeof(IReadOnlyList<AllocationView>))]
[JsonSerializable(typeof(NodeList))]
[JsonSerializable(typeof(NodeForgetResponse))]
[JsonSerializable(typeof(ConflictList))]
[JsonSerializable(typeof(ConflictView))]
[JsonSerializable(typeof(ConflictClear))]
[JsonSerializable(typeof(EndpointList))]
[JsonSerializable(typeof(EndpointView))]
[JsonSerializable(typeof(EndpointReleaseRequest))]
[JsonSerializable(typeof(EndpointReleaseResponse))]
[JsonSerializable(typeof(AppPoolCreate))]
[JsonSerializable(typeof(AppPoolScale))]
[JsonSerializable(typeof(AppReclaim))]
[JsonSerializable(typeof(AppReclaimResponse))]
[JsonSerializable(typeof(GcRunRequest))]
[JsonSerializable(typeof(GcRunResponse))]
[JsonSerializable(typeof(ImportRequest))]
[JsonSerializable(typeof(ImportResponse))]
[JsonSerializable(typeof(Problem))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
