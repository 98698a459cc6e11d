using Microsoft.Extensions.Hosting;

namespace Underpool.Agent.Hosting;

/// <summary>Starts a background loop (sweeps, heartbeats, re-probes) only once the agent has reached its store: until
/// then every round would fail, and each would say so in the log.</summary>
internal sealed class AfterStoreReached(IHostedService loop, StoreReadiness readiness) : BackgroundService
{
    private bool _started;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_started)
        {
            await loop.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        await loop.StartAsync(stoppingToken).ConfigureAwait(false);
        _started = true;
    }
}
