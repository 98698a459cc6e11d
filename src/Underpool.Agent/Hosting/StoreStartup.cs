using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Nodes;
using Underpool.Agent.Pools;
using Underpool.Store;

namespace Underpool.Agent.Hosting;

/// <summary>Brings the agent to its store: initialise the store, prime the pool view, register the node. The agent
/// serves before this has worked (STATUS says why it is not ready, every other route answers 503 / CNI 11) and keeps
/// trying with back-off, so a node that boots before its etcd is reachable starts, and becomes ready by itself once
/// etcd answers, instead of exiting into a crash loop.</summary>
public sealed partial class StoreStartup(
    IIpamStore store, PoolRegistry registry, NodeHeartbeat heartbeat, StoreReadiness readiness, TimeProvider clock, ILogger<StoreStartup> log)
    : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();
    private bool _initialized;
    private readonly FailureStreak _failures = new();

    /// <summary>The attempt at start. A store that is unavailable (<see cref="StoreUnavailableException"/>) leaves the
    /// agent starting not ready; any other failure to initialise it means it cannot work as configured (a data directory
    /// that cannot be written, a file of a newer schema) and ends the start with <see cref="AgentStartException"/>.</summary>
    public Task FirstAttemptAsync(CancellationToken cancellationToken) => TryAsync(firstAttempt: true, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan pause = FirstPause;
        while (!readiness.IsReady)
        {
            await Task.Delay(pause, clock, stoppingToken).ConfigureAwait(false);
            await TryAsync(firstAttempt: false, stoppingToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    private async Task TryAsync(bool firstAttempt, CancellationToken cancellationToken)
    {
        try
        {
            if (!_initialized)
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }

            await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
            await heartbeat.BeatAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (firstAttempt && !_initialized && e is not StoreUnavailableException)
            {
                throw new AgentStartException($"the store ({store.Description}) cannot be used: {e.Message}", e);
            }

            // Anything, once the store was opened or while it is unreachable: stay not ready, say why, try again.
            string reason = e is StoreUnavailableException ? e.Message : $"the store ({store.Description}) failed: {e.Message}";
            readiness.MarkWaiting(reason);
            if (_failures.Begins())
            {
                LogWaiting(reason);
            }

            return;
        }

        readiness.MarkReached();
        if (_failures.Ends())
        {
            LogReached(store.Description, (clock.GetUtcNow() - _startedAt).TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "not ready: {Reason}; serving STATUS (not ready) and trying again every few seconds")]
    private partial void LogWaiting(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "ready: reached the store ({Store}) {Seconds:F0} s after start")]
    private partial void LogReached(string store, double seconds);
}
