using Underpool.Api;
using Underpool.Cni;

namespace Underpool.Plugin;

/// <summary>One plugin invocation: parse the CNI environment and config, run the verb against the agent, print.</summary>
/// <remarks>Everything a user or runtime can get wrong ends as a CNI error object on stdout with exit code 1;
/// the plugin never prints a stack trace.</remarks>
public static class PluginApp
{
    /// <summary>How long a verb may wait for the agent: well inside a runtime's own CNI timeout.</summary>
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(30);

    /// <remarks>Synchronous throughout: one short request to a local agent, and staying off the thread pool keeps a
    /// call about a millisecond shorter (docs/benchmarks.md).</remarks>
    public static int Run(IReadOnlyDictionary<string, string?> environment, Stream stdin, Stream stdout)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        try
        {
            return RunVerb(environment, stdin, stdout);
        }
        catch (Exception e)
        {
            return Crash(stdout, e);
        }
    }

    /// <summary>The last resort for an exception nothing else caught (a bug of ours, or input nobody foresaw): still a
    /// CNI error object in one line and exit 1, never the runtime's default of an abort with a stack trace, which a
    /// runtime shows as garbage and a person cannot act on.</summary>
    /// <remarks>Code 7: the spec has no code for a plugin's own failure, and one input that breaks the plugin breaks
    /// it every time, so "try again later" (11) would only make the runtime retry forever.</remarks>
    public static int Crash(Stream stdout, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(exception);
        string what = string.Join(' ', $"{exception.GetType().Name}: {exception.Message}".Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        try
        {
            new CniError(CniErrorCode.InvalidNetworkConfig, $"internal error: {what}; please report it with the network config that caused it")
                .WriteTo(stdout, CniVersion.Latest);
        }
        catch (Exception)
        {
            // stdout itself is gone (the runtime closed the pipe): the exit code is all that is left to say.
        }

        return 1;
    }

    private static int RunVerb(IReadOnlyDictionary<string, string?> environment, Stream stdin, Stream stdout)
    {
        byte[] input;
        try
        {
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            input = buffer.ToArray();
        }
        catch (IOException e)
        {
            return Fail(stdout, new CniError(CniErrorCode.IoFailure, $"cannot read the network config from stdin: {e.Message}"), CniVersion.Latest);
        }

        CniParseResult<CniEnvironment> env = CniEnvironment.Parse(environment);
        if (!env.IsSuccess)
        {
            // The config is read first so the error speaks the version the runtime asked for, when it is one we know.
            return Fail(stdout, env.Error, VersionResult.ForRequest(input).CniVersion);
        }

        if (env.Value.Command == CniCommand.Version)
        {
            VersionResult.ForRequest(input).WriteTo(stdout);
            return 0;
        }

        CniParseResult<NetworkConfig> config = NetworkConfig.Parse(input);
        if (!config.IsSuccess)
        {
            return Fail(stdout, config.Error, CniVersion.Latest);
        }

        NetworkConfig conf = config.Value;
        var agent = new AgentClient(conf.Ipam.Socket, env.Value.Command == CniCommand.Status ? TimeSpan.FromSeconds(5) : AgentTimeout);
        var call = new PluginCall(env.Value, conf, agent, stdout);
        CniError? error = env.Value.Command switch
        {
            CniCommand.Add => Verbs.Add(call),
            CniCommand.Del => Verbs.Del(call),
            CniCommand.Check => Verbs.Check(call),
            CniCommand.Status => Verbs.Status(call),
            CniCommand.Gc => Verbs.Gc(call),
            _ => new CniError(CniErrorCode.InvalidEnvironment, $"CNI_COMMAND {env.Value.Command} is not handled"),
        };
        return error is null ? 0 : Fail(stdout, error, conf.CniVersion);
    }

    private static int Fail(Stream stdout, CniError error, string cniVersion)
    {
        error.WriteTo(stdout, cniVersion);
        return 1;
    }
}
