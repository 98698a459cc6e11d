using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Underpool.Agent.Conflicts;

/// <summary>Re-probes this node's quarantined addresses every --quarantine-recheck, so a host that has gone away
/// gives its address back to the pool without anyone running 'conflict clear'.</summary>
public sealed partial class QuarantineRecheckLoop(QuarantineService quarantine, AgentOptions options, ILogger<QuarantineRecheckLoop> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.QuarantineRecheck);
        var failures = new FailureStreak();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            // A store hiccup must not end the loop: the next tick tries again.
            await failures.RunRoundAsync(() => quarantine.RecheckAsync(stoppingToken), LogFailed, LogRecovered).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "re-probing quarantined addresses failed: {Error}; trying again every round (logged again once it works)")]
    private partial void LogFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "re-probing quarantined addresses works again")]
    private partial void LogRecovered();
}
