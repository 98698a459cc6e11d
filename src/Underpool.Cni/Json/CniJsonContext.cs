using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Underpool.Cni.Json;

/// <summary>Source-generated JSON metadata for everything the plugin prints (no reflection, so NativeAOT is safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorWire))]
[JsonSerializable(typeof(ResultWire))]
[JsonSerializable(typeof(VersionResult))]
internal sealed partial class CniJsonContext : JsonSerializerContext
{
    /// <summary>The context used for output.</summary>
    /// <remarks>Relaxed escaping keeps quotes and '+' in messages readable; the output goes to a runtime, never into HTML.</remarks>
    internal static CniJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
