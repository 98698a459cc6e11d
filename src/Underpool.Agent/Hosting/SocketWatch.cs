using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Underpool.Agent.Hosting;

/// <summary>Checks every second that the agent's socket file is still the one it bound (same device and inode). One
/// that was removed (a tmpfiles clean-up, a mistaken rm) leaves the agent unreachable while it still runs; one that was
/// replaced may be another process answering the plugin in the agent's place. Either is logged as an error, saying what
/// was found, and the socket is bound again.</summary>
internal sealed partial class SocketWatch(AgentSocketTransport transport, TimeProvider clock, ILogger<SocketWatch> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly FailureStreak _rebindFailures = new();

    /// <summary>One check: true when the socket file is the agent's (or has just been bound again).</summary>
    public bool Check()
    {
        if (transport.Listener is not { } listener)
        {
            return true;
        }

        FileStatus? found = FileStatus.Of(listener.Path, followLinks: false);
        if (found is { } file && file.IsSameFile(listener.File))
        {
            return true;
        }

        try
        {
            listener.Rebind();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            if (_rebindFailures.Begins())
            {
                LogCannotRebind(listener.Path, found?.Describe() ?? "nothing", e.Message);
            }

            return false;
        }

        _rebindFailures.Ends();
        if (found is { } other)
        {
            LogReplaced(listener.Path, other.Describe());
        }
        else
        {
            LogRemoved(listener.Path);
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            Check();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "the agent's socket {Socket} was removed while the agent runs (clients could not reach it); bound it again")]
    private partial void LogRemoved(string socket);

    [LoggerMessage(Level = LogLevel.Error, Message = "the agent's socket {Socket} was replaced by {Found} (another process may have been answering clients in the agent's place); removed it and bound the agent's socket again")]
    private partial void LogReplaced(string socket, string found);

    [LoggerMessage(Level = LogLevel.Error, Message = "the agent's socket {Socket} is gone (found {Found}) and cannot be bound again: {Error}; clients cannot reach the agent, trying again every second")]
    private partial void LogCannotRebind(string socket, string found, string error);
}
