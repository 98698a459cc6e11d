using System.Text.Json;
using System.Text.Json.Serialization;

namespace Underpool.Api.Contracts;

/// <summary>Source-generated JSON for the plugin's calls only: the CNI verbs, STATUS and a problem answer, with the
/// options of <see cref="ApiJsonContext"/> (the same wire format; the agent reads them with that one).</summary>
/// <remarks>Why a second context: the plugin starts for every CNI call, and a context's static constructor encodes the
/// property names of every type it lists. With only these, the plugin never runs <see cref="ApiJsonContext"/>'s and
/// NativeAOT leaves the other contracts out of the binary (issue 16, docs/benchmarks.md). ADD, DEL and CHECK no longer
/// go through it at all: Wire writes and reads them by hand, and CniCallWireTests compare the two.</remarks>
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
[JsonSerializable(typeof(Problem))]
public sealed partial class CniCallJsonContext : JsonSerializerContext;
