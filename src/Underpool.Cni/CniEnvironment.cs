namespace Underpool.Cni;

/// <summary>The CNI_* environment variables of one plugin call, validated for its verb.</summary>
public sealed class CniEnvironment
{
    public const string CommandVariable = "CNI_COMMAND";
    public const string ContainerIdVariable = "CNI_CONTAINERID";
    public const string NetNsVariable = "CNI_NETNS";
    public const string IfNameVariable = "CNI_IFNAME";
    public const string ArgsVariable = "CNI_ARGS";
    public const string PathVariable = "CNI_PATH";

    private const string ValidCommands = "ADD, DEL, CHECK, VERSION, STATUS or GC";

    private static readonly string[] AllVariables =
        [CommandVariable, ContainerIdVariable, NetNsVariable, IfNameVariable, ArgsVariable, PathVariable];

    private CniEnvironment(CniCommand command, string? containerId, string? netNs, string? ifName, CniArgs args, IReadOnlyList<string> paths)
    {
        Command = command;
        ContainerId = containerId;
        NetNs = netNs;
        IfName = ifName;
        Args = args;
        Paths = paths;
    }

    public CniCommand Command { get; }

    /// <summary>Set and valid for ADD, DEL and CHECK; null for VERSION, STATUS and GC.</summary>
    public string? ContainerId { get; }

    /// <summary>Set for ADD and CHECK; may be null for DEL (the namespace may already be gone). Not checked to exist.</summary>
    public string? NetNs { get; }

    /// <summary>Set and valid for ADD, DEL and CHECK; null for VERSION, STATUS and GC.</summary>
    public string? IfName { get; }

    public CniArgs Args { get; }

    /// <summary>The CNI_PATH folders; empty when unset (the spec marks it optional).</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Reads the CNI_* variables of this process.</summary>
    public static CniParseResult<CniEnvironment> FromProcess()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string name in AllVariables)
        {
            variables[name] = Environment.GetEnvironmentVariable(name);
        }

        return Parse(variables);
    }

    /// <summary>Validates the variables for the verb in CNI_COMMAND; an empty value counts as unset.</summary>
    public static CniParseResult<CniEnvironment> Parse(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);

        string? commandText = Read(variables, CommandVariable);
        if (commandText is null)
        {
            return Invalid($"{CommandVariable} is not set; expected {ValidCommands}");
        }

        CniCommand? parsed = ParseCommand(commandText);
        if (parsed is not CniCommand command)
        {
            return Invalid($"{CommandVariable} \"{commandText}\" is not a CNI command; expected {ValidCommands}");
        }

        IReadOnlyList<string> paths = Read(variables, PathVariable) is { } path
            ? path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            : [];

        // Verbs without a container ignore CNI_ARGS (the spec sets only CNI_COMMAND and CNI_PATH for them), so a
        // stray malformed value left in the environment cannot break VERSION or STATUS.
        if (command is CniCommand.Version or CniCommand.Status or CniCommand.Gc)
        {
            return CniParseResult<CniEnvironment>.Success(new CniEnvironment(command, null, null, null, CniArgs.Empty, paths));
        }

        CniParseResult<CniArgs> args = CniArgs.Parse(Read(variables, ArgsVariable));
        if (!args.IsSuccess)
        {
            return CniParseResult<CniEnvironment>.Failure(args.Error);
        }

        string? containerId = Read(variables, ContainerIdVariable);
        string? netNs = Read(variables, NetNsVariable);
        string? ifName = Read(variables, IfNameVariable);

        bool needsNetNs = command != CniCommand.Del;
        if (containerId is null || ifName is null || (needsNetNs && netNs is null))
        {
            return Invalid(MissingMessage(commandText, containerId is null, needsNetNs && netNs is null, ifName is null, needsNetNs));
        }

        if (CniNames.ContainerIdProblem(containerId) is { } idProblem)
        {
            return Invalid($"{ContainerIdVariable} {CniNames.Quote(containerId)} {idProblem}");
        }

        if (CniNames.InterfaceNameProblem(ifName) is { } ifProblem)
        {
            return Invalid($"{IfNameVariable} {CniNames.Quote(ifName)} {ifProblem}");
        }

        if (netNs is not null && CniNames.NetNsProblem(netNs) is { } netNsProblem)
        {
            if (needsNetNs)
            {
                return Invalid($"{NetNsVariable} {CniNames.Quote(netNs)} {netNsProblem}");
            }

            // DEL needs no namespace, and refusing it would leave the addresses held (the runtime retries a failed
            // DEL forever): one it cannot use is dropped, as if the namespace were already gone.
            netNs = null;
        }

        return CniParseResult<CniEnvironment>.Success(new CniEnvironment(command, containerId, netNs, ifName, args.Value, paths));
    }

    private static string MissingMessage(string verb, bool noContainerId, bool noNetNs, bool noIfName, bool needsNetNs)
    {
        var missing = new List<string>(3);
        if (noContainerId)
        {
            missing.Add(ContainerIdVariable);
        }

        if (noNetNs)
        {
            missing.Add(NetNsVariable);
        }

        if (noIfName)
        {
            missing.Add(IfNameVariable);
        }

        string subject = missing.Count == 1 ? $"{missing[0]} is not set" : $"{string.Join(", ", missing)} are not set";
        string required = needsNetNs
            ? $"{verb} needs {ContainerIdVariable}, {NetNsVariable} and {IfNameVariable}"
            : $"{verb} needs {ContainerIdVariable} and {IfNameVariable} ({NetNsVariable} is optional)";
        return $"{subject}; {required}";
    }

    private static CniCommand? ParseCommand(string text) => text switch
    {
        "ADD" => CniCommand.Add,
        "DEL" => CniCommand.Del,
        "CHECK" => CniCommand.Check,
        "VERSION" => CniCommand.Version,
        "STATUS" => CniCommand.Status,
        "GC" => CniCommand.Gc,
        _ => null,
    };

    private static string? Read(IReadOnlyDictionary<string, string?> variables, string name) =>
        variables.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

    private static CniParseResult<CniEnvironment> Invalid(string message) =>
        CniParseResult<CniEnvironment>.Failure(new CniError(CniErrorCode.InvalidEnvironment, message));
}
