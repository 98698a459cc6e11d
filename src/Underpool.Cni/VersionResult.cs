using System.Text.Json;
using System.Text.Json.Serialization;
using Underpool.Cni.Json;

namespace Underpool.Cni;

/// <summary>The answer to VERSION: the version the answer is written in, and every version this plugin supports.</summary>
public sealed record VersionResult(
    [property: JsonPropertyName("cniVersion")] string CniVersion,
    [property: JsonPropertyName("supportedVersions")] IReadOnlyList<string> SupportedVersions)
{
    /// <summary>Answers the VERSION request on stdin (<c>{"cniVersion":"x"}</c>): in version x when supported, else in
    /// <see cref="Cni.CniVersion.Latest"/>.</summary>
    /// <remarks>Never fails: VERSION is how a runtime learns what we support, and libcni asks in its own newest version,
    /// which may be newer than ours; the reference skel answers without reading stdin at all.</remarks>
    public static VersionResult ForRequest(ReadOnlySpan<byte> stdin)
    {
        string version = Cni.CniVersion.Latest;
        if (StdinJson.TryParse(stdin, "VERSION request", out JsonDocument? document, out _))
        {
            using (document)
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && JsonFields.TryGet(document.RootElement, "cniVersion", out JsonElement asked)
                    && asked.ValueKind == JsonValueKind.String
                    && asked.GetString() is { } askedVersion
                    && Cni.CniVersion.IsSupported(askedVersion))
                {
                    version = askedVersion;
                }
            }
        }

        return new VersionResult(version, Cni.CniVersion.Supported);
    }

    public string Serialize() => JsonSerializer.Serialize(this, CniJsonContext.Output.VersionResult);

    public void WriteTo(Stream stream) => JsonSerializer.Serialize(stream, this, CniJsonContext.Output.VersionResult);
}
