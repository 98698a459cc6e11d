namespace Underpool.Cni;

/// <summary>The <c>CNI_ARGS</c> pairs (<c>K1=V1;K2=V2</c>), with the keys Kubernetes runtimes send picked out.</summary>
public sealed class CniArgs
{
    public const string PodNamespaceKey = "K8S_POD_NAMESPACE";
    public const string PodNameKey = "K8S_POD_NAME";
    public const string PodUidKey = "K8S_POD_UID";
    public const string PodInfraContainerIdKey = "K8S_POD_INFRA_CONTAINER_ID";
    public const string IgnoreUnknownKey = "IgnoreUnknown";
    public const string IpKey = "IP";

    private const string Expected = "expected KEY=VALUE pairs separated by ';', like IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0";

    private CniArgs(IReadOnlyDictionary<string, string> pairs)
    {
        Pairs = pairs;
        RequestedIps = Get(IpKey) is { Length: > 0 } ip
            ? ip.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
    }

    /// <summary>No arguments.</summary>
    public static CniArgs Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Every pair, keys compared ordinally; a repeated key keeps its last value.</summary>
    public IReadOnlyDictionary<string, string> Pairs { get; }

    public string? PodNamespace => Get(PodNamespaceKey);

    public string? PodName => Get(PodNameKey);

    public string? PodUid => Get(PodUidKey);

    public string? PodInfraContainerId => Get(PodInfraContainerIdKey);

    /// <summary>True for <c>IgnoreUnknown=1</c> or <c>=true</c>; this plugin ignores unknown keys either way.</summary>
    public bool IgnoreUnknown => Get(IgnoreUnknownKey) is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The addresses asked for with the older <c>IP=</c> form (comma-separated), e.g. podman's <c>--ip</c>.</summary>
    public IReadOnlyList<string> RequestedIps { get; }

    public string? Get(string key) => Pairs.TryGetValue(key, out string? value) ? value : null;

    /// <summary>Parses the raw <c>CNI_ARGS</c> value; null or empty gives <see cref="Empty"/>.</summary>
    public static CniParseResult<CniArgs> Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return CniParseResult<CniArgs>.Success(Empty);
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in value.Split(';'))
        {
            // Runtimes sometimes leave a trailing ';'; an empty segment carries nothing, so skip it.
            if (pair.Length == 0)
            {
                continue;
            }

            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return Invalid($"CNI_ARGS pair \"{pair}\" has no '='; {Expected}");
            }

            if (eq == 0)
            {
                return Invalid($"CNI_ARGS pair \"{pair}\" has an empty key; {Expected}");
            }

            // Split at the first '=' so a value may itself contain '='.
            pairs[pair[..eq]] = pair[(eq + 1)..];
        }

        return CniParseResult<CniArgs>.Success(new CniArgs(pairs));
    }

    private static CniParseResult<CniArgs> Invalid(string message) =>
        CniParseResult<CniArgs>.Failure(new CniError(CniErrorCode.InvalidEnvironment, message));
}
