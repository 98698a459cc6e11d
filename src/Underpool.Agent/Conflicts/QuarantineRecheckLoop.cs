using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Nodes;

namespace Underpool.Agent.Conflicts;

/// <summary>Every --quarantine-recheck, frees quarantined addresses that turn out to be ours and re-probes this node's
/// others, so a host that has gone away gives its address back without anyone running 'conflict clear'. When the agent
/// learns one of its own uplink MACs (its first probe on an uplink), what that uplink was taken for is freed at once.</summary>
public sealed partial class QuarantineRecheckLoop(
    QuarantineService quarantine,
    QuarantineHealer healer,
    LocalUplinks uplinks,
    AgentOptions options,
    TimeProvider clock,
    ILogger<QuarantineRecheckLoop> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wake = new WakeTimer(options.QuarantineRecheck, clock, uplinks.WaitForChangeAsync);
        var failures = new FailureStreak();
        while (true)
        {
            bool ticked = await wake.WaitAsync(stoppingToken).ConfigureAwait(false);
            Func<CancellationToken, Task<int>> pass = ticked ? quarantine.RecheckAsync : healer.FreeOursAsync;

            // A store hiccup must not end the loop: the next tick tries again.
            await failures.RunRoundAsync(() => pass(stoppingToken), LogFailed, LogRecovered).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "re-probing quarantined addresses failed: {Error}; trying again every round (logged again once it works)")]
    private partial void LogFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "re-probing quarantined addresses works again")]
    private partial void LogRecovered();
}
