using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Pools;
using Underpool.Kubernetes.Annotations;
using Underpool.Kubernetes.Leadership;
using Underpool.Kubernetes.Lifecycle;
using Underpool.Store;

namespace Underpool.Agent.Kubernetes;

/// <summary>The cluster-wide duties of Kubernetes mode, done by the one agent that holds the coordination.k8s.io Lease:
/// while it leads it follows every pod, node, StatefulSet and Deployment (<see cref="ClusterWatches"/>), and after each
/// change (and every <see cref="Period"/>, for the rules that wait) decides with <see cref="LifecyclePlanner"/> what is
/// released or resized, and does it (<see cref="LifecycleApplier"/>).</summary>
internal sealed partial class LifecycleLoop : BackgroundService
{
    /// <summary>Rounds without a change: the time-based rules (a NotReady node's terminating pods, young holdings).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private readonly AgentOptions _options;
    private readonly KubernetesLink _link;
    private readonly IIpamStore _store;
    private readonly PoolRegistry _registry;
    private readonly LifecycleApplier _applier;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _logs;
    private readonly ILogger<LifecycleLoop> _log;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly HashSet<string> _problemsLogged = new(StringComparer.Ordinal);

    public LifecycleLoop(
        AgentOptions options, KubernetesLink link, IIpamStore store, PoolRegistry registry, LifecycleApplier applier, TimeProvider clock, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        _options = options;
        _link = link;
        _store = store;
        _registry = registry;
        _applier = applier;
        _clock = clock;
        _logs = logs;
        _log = logs.CreateLogger<LifecycleLoop>();
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var elector = new LeaseElector(_link.Api, _options.Kubernetes.Leader, _logs.CreateLogger<LeaseElector>(), _clock);
        elector.LeadershipChanged += _ => Wake();
        elector.Start();
        ClusterWatches? watches = null;
        var failures = new FailureStreak();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (elector.IsLeader)
                {
                    watches ??= StartWatches();
                    if (watches.Synced)
                    {
                        await failures.RunRoundAsync(() => RoundAsync(watches, stoppingToken), LogFailed, LogRecovered).ConfigureAwait(false);
                    }
                }
                else if (watches is not null)
                {
                    await watches.DisposeAsync().ConfigureAwait(false);
                    watches = null;
                }

                await _wake.WaitAsync(watches is { Synced: false } ? TimeSpan.FromMilliseconds(200) : Period, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            if (watches is not null)
            {
                await watches.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>One round: what the store holds, what the caches say, the decisions, and each carried out.</summary>
    private async Task RoundAsync(ClusterWatches watches, CancellationToken cancellationToken)
    {
        await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AllocationRecord> records = await _store.ListAllocationsAsync(AllocationFilter.All, cancellationToken).ConfigureAwait(false);
        List<HeldEndpoint> held = records
            .Where(r => r.Kind != AllocationKind.Carve && !string.IsNullOrEmpty(r.PodNamespace) && !string.IsNullOrEmpty(r.PodName))
            .Select(r => new HeldEndpoint(r.PodNamespace!, r.PodName!, r.PodUid, r.Static, r.OwnerKind, r.OwnerName, !r.Static || r.RuntimeContainerId is not null, r.CreatedAt))
            .ToList();
        LifecycleSnapshot snapshot = watches.Snapshot(held, _applier.AppPools());
        var settings = LifecycleSettings.Default with { TerminatingReleaseDelay = _options.Kubernetes.TerminatingReleaseDelay };
        LifecycleDecision decision = LifecyclePlanner.Decide(snapshot, settings);
        foreach (AnnotationProblem problem in decision.Problems)
        {
            if (_problemsLogged.Add(problem.Message))
            {
                LogProblem(problem.Message);
            }
        }

        foreach (LifecycleAction action in decision.Actions)
        {
            await _applier.ApplyAsync(action, records, cancellationToken).ConfigureAwait(false);
        }
    }

    private ClusterWatches StartWatches()
    {
        var watches = new ClusterWatches(_link.Api, _options.Kubernetes.WatchBackoff, _logs.CreateLogger("Underpool.Kubernetes.Watch"), _clock, Wake);
        watches.Start();
        LogLeading(_options.Kubernetes.NodeName);
        return watches;
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
        catch (ObjectDisposedException)
        {
            // A change after the loop stopped.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node} leads the Kubernetes lifecycle duties: following pods, nodes, StatefulSets and Deployments")]
    private partial void LogLeading(string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "workload annotation not used: {Problem}")]
    private partial void LogProblem(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes lifecycle round failed: {Error}; trying again (logged again once it works)")]
    private partial void LogFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes lifecycle rounds work again")]
    private partial void LogRecovered();
}
