using System.Text.Json;
using Underpool.Cni.Json;

namespace Underpool.Cni;

/// <summary>The network configuration a runtime writes to the plugin's stdin, read leniently (unknown fields ignored).</summary>
public sealed class NetworkConfig
{
    private NetworkConfig(
        string cniVersion,
        string name,
        string? type,
        IpamConfig ipam,
        RuntimeConfig runtimeConfig,
        JsonElement? args,
        JsonElement? prevResult,
        IReadOnlyList<GcAttachment>? validAttachments,
        string? master)
    {
        Master = master;
        CniVersion = cniVersion;
        Name = name;
        Type = type;
        Ipam = ipam;
        RuntimeConfig = runtimeConfig;
        Args = args;
        PrevResult = prevResult;
        ValidAttachments = validAttachments;
    }

    /// <summary>A supported version (see <see cref="Cni.CniVersion.Supported"/>); results and errors are printed in it.</summary>
    public string CniVersion { get; }

    public string Name { get; }

    /// <summary>The main plugin's type (e.g. "macvlan"); this plugin's own name is in <see cref="IpamConfig.Type"/>.</summary>
    public string? Type { get; }

    /// <summary>The main plugin's uplink (macvlan/ipvlan <c>master</c>), where the agent probes for conflicts; null when absent.</summary>
    public string? Master { get; }

    /// <summary>The <c>ipam</c> section; defaults when absent.</summary>
    public IpamConfig Ipam { get; }

    /// <summary>The <c>runtimeConfig</c> capabilities; empty when absent.</summary>
    public RuntimeConfig RuntimeConfig { get; }

    /// <summary>The raw <c>args</c> object, when present.</summary>
    public JsonElement? Args { get; }

    /// <summary>The raw <c>prevResult</c> (DEL and CHECK, 0.4.0 and later); read it with <see cref="IpamResult.Parse"/>.</summary>
    public JsonElement? PrevResult { get; }

    /// <summary>GC only: the attachments still in use, from <c>cni.dev/valid-attachments</c> or <c>cni.dev/attachments</c>;
    /// null when the config has neither key.</summary>
    public IReadOnlyList<GcAttachment>? ValidAttachments { get; }

    /// <summary>Parses stdin; a problem becomes a <see cref="CniError"/> (6 bad JSON, 1 unsupported version, 7 invalid
    /// config), never an exception.</summary>
    public static CniParseResult<NetworkConfig> Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (!StdinJson.TryParse(utf8Json, "network configuration", out JsonDocument? document, out CniError? decodeError))
        {
            return Fail(decodeError);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail(new CniError(
                    CniErrorCode.DecodeFailure,
                    $"the network configuration on stdin must be a JSON object; got {JsonFields.Describe(root)}"));
            }

            return Read(root);
        }
    }

    private static CniParseResult<NetworkConfig> Read(JsonElement root)
    {
        if (JsonFields.OptionalString(root, "cniVersion", "cniVersion", out string? version) is { } versionTypeError)
        {
            return Fail(versionTypeError);
        }

        if (string.IsNullOrEmpty(version))
        {
            return Fail(new CniError(
                CniErrorCode.InvalidNetworkConfig,
                $"the network configuration has no \"cniVersion\"; add one of {Cni.CniVersion.SupportedList}, like \"cniVersion\": \"1.0.0\""));
        }

        if (!Cni.CniVersion.IsSupported(version))
        {
            return Fail(new CniError(
                CniErrorCode.IncompatibleVersion,
                $"cniVersion \"{version}\" is not supported; this plugin supports {Cni.CniVersion.SupportedList}"));
        }

        if (JsonFields.OptionalString(root, "name", "name", out string? name) is { } nameTypeError)
        {
            return Fail(nameTypeError);
        }

        if (string.IsNullOrEmpty(name))
        {
            return Fail(new CniError(
                CniErrorCode.InvalidNetworkConfig,
                "the network configuration has no \"name\"; add the network's name, like \"name\": \"underlay\""));
        }

        if (CniNames.NetworkNameProblem(name) is { } nameProblem)
        {
            return Fail(new CniError(CniErrorCode.InvalidNetworkConfig, $"network name {CniNames.Quote(name)} {nameProblem}"));
        }

        if (JsonFields.OptionalString(root, "type", "type", out string? type) is { } typeError)
        {
            return Fail(typeError);
        }

        if (JsonFields.OptionalString(root, "master", "master", out string? master) is { } masterError)
        {
            return Fail(masterError);
        }

        if (JsonFields.OptionalObject(root, "ipam", "ipam", out JsonElement? ipamSection) is { } ipamTypeError)
        {
            return Fail(ipamTypeError);
        }

        if (IpamConfig.Read(ipamSection, out IpamConfig ipam) is { } ipamError)
        {
            return Fail(ipamError);
        }

        if (JsonFields.OptionalObject(root, "runtimeConfig", "runtimeConfig", out JsonElement? runtimeSection) is { } runtimeTypeError)
        {
            return Fail(runtimeTypeError);
        }

        if (RuntimeConfig.Read(runtimeSection, out RuntimeConfig runtimeConfig) is { } runtimeError)
        {
            return Fail(runtimeError);
        }

        if (JsonFields.OptionalObject(root, "prevResult", "prevResult", out JsonElement? prevResult) is { } prevResultError)
        {
            return Fail(prevResultError);
        }

        if (GcAttachment.ReadList(root, out IReadOnlyList<GcAttachment>? attachments) is { } attachmentsError)
        {
            return Fail(attachmentsError);
        }

        // Clone what outlives the document, which the caller disposes.
        JsonElement? args = JsonFields.TryGet(root, "args", out JsonElement argsElement) ? argsElement.Clone() : null;
        return CniParseResult<NetworkConfig>.Success(new NetworkConfig(
            version, name, type, ipam, runtimeConfig, args, prevResult?.Clone(), attachments, master));
    }

    private static CniParseResult<NetworkConfig> Fail(CniError error) => CniParseResult<NetworkConfig>.Failure(error);
}
