namespace Underpool.Cli;

/// <summary>The process exit codes scripts can rely on; the root command's help lists them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The agent refused the request (a 4xx problem): the request needs fixing.</summary>
    public const int Refused = 1;

    /// <summary>A bad or missing argument, found before the agent was asked.</summary>
    public const int Usage = 2;

    /// <summary>No agent answered on the socket.</summary>
    public const int Unreachable = 3;

    /// <summary>The agent failed (5xx), answered nonsense, or the CLI hit a bug.</summary>
    public const int AgentFailure = 4;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Interrupted = 130;
}
