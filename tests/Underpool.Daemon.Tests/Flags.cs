using Underpool.Agent;
using Underpool.Daemon.Options;

namespace Underpool.Daemon.Tests;

/// <summary>The parser as the tests ask it: the options, or every error on its own line.</summary>
internal static class Flags
{
    public static DaemonOptions? Parse(string[] args, string defaultNode, out string? error)
    {
        ParsedFlags parsed = DaemonOptionsParser.Parse(args, defaultNode);
        error = parsed.Errors.Count == 0 ? null : string.Join('\n', parsed.Errors);
        return parsed.Options;
    }

    public static AgentOptions? Agent(string[] args, string defaultNode, out string? error) =>
        Parse(args, defaultNode, out error)?.Agent;
}
