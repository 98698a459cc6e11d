using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Underpool.Agent.Gc;

/// <summary>Runs the <see cref="LivenessSweep"/> every --gc-interval (never when it is 0).</summary>
public sealed partial class LivenessSweepLoop(LivenessSweep sweep, AgentOptions options, TimeProvider clock, ILogger<LivenessSweepLoop> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.GcInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.GcInterval, clock);
        var failures = new FailureStreak();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            // A store hiccup must not end the loop: the next tick tries again.
            await failures.RunRoundAsync(() => sweep.RunAsync(dryRun: false, stoppingToken), LogFailed, LogRecovered).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "liveness sweep failed: {Error}; trying again every round (logged again once it works)")]
    private partial void LogFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "liveness sweep works again")]
    private partial void LogRecovered();
}
