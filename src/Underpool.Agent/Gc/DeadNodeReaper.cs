using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Ipam;
using Underpool.Agent.Nodes;
using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Gc;

/// <summary>One agent of the cluster, elected with a leader lease in the store, releases the non-static allocations of
/// nodes whose agent has been dead for --node-dead-after; static endpoints and application pool carvings stay.</summary>
/// <remarks>The dead-since clock is the leader's own first sighting of the node not alive (a new leader starts it
/// again): reclaiming late is safe, reclaiming early would take a live pod's address. A store that only knows when a
/// lease was granted (etcd) cannot say when a node died.</remarks>
public sealed partial class DeadNodeReaper(
    IIpamStore store, NodeForgetService forget, AgentOptions options, TimeProvider clock, ILogger<DeadNodeReaper> log) : BackgroundService
{
    /// <summary>The leader lease's name in the store.</summary>
    public const string LeaseName = "dead-node-reaper";

    /// <summary>The metrics reason of releases by the reaper.</summary>
    public const string MetricReason = "dead-node";

    private readonly Dictionary<string, DateTimeOffset> _deadSince = new(StringComparer.Ordinal);

    // Nodes already reclaimed while dead: a dead agent allocates nothing more, so they need no new listing (on etcd a
    // listing by node reads every allocation) until they are seen alive again.
    private readonly HashSet<string> _reclaimed = new(StringComparer.Ordinal);
    private bool _leading;

    /// <summary>One round: hold or take the lease, then reclaim the nodes dead long enough. Returns the nodes reclaimed.</summary>
    public async Task<IReadOnlyList<string>> RunOnceAsync(CancellationToken cancellationToken)
    {
        bool leading = await store.TryHoldLeaseAsync(LeaseName, options.Node, options.NodeTtl, cancellationToken).ConfigureAwait(false);
        if (leading != _leading)
        {
            LogLeadership(options.Node, leading ? "leads" : "no longer leads");
            _leading = leading;
            _deadSince.Clear();
            _reclaimed.Clear();
        }

        if (!leading)
        {
            return [];
        }

        DateTimeOffset now = clock.GetUtcNow();
        var reclaimed = new List<string>();
        foreach (NodeRecord node in await store.ListNodesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (node.Alive || node.Name == options.Node)
            {
                _deadSince.Remove(node.Name);
                _reclaimed.Remove(node.Name);
                continue;
            }

            if (_reclaimed.Contains(node.Name))
            {
                continue;
            }

            DateTimeOffset since = _deadSince.TryGetValue(node.Name, out DateTimeOffset seen) ? seen : _deadSince[node.Name] = now;
            if (now - since < options.NodeDeadAfter)
            {
                continue;
            }

            Outcome<NodeForgetResponse> forgotten = await forget.ForgetAsync(node.Name, MetricReason, cancellationToken).ConfigureAwait(false);
            if (!forgotten.IsSuccess)
            {
                continue;
            }

            _reclaimed.Add(node.Name);
            if (forgotten.Value!.Released.Count > 0)
            {
                LogReclaimed(node.Name, forgotten.Value.Released.Count, (now - since).TotalSeconds);
                reclaimed.Add(node.Name);
            }
        }

        return reclaimed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.NodeDeadAfter <= TimeSpan.Zero)
        {
            return;
        }

        // As often as heartbeats, so the lease (one node ttl) is renewed twice before it could lapse.
        using var timer = new PeriodicTimer(options.NodeTtl / 3, clock);
        var failures = new FailureStreak();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            // A store hiccup must not end the loop; leadership is re-established next round.
            await failures.RunRoundAsync(() => RunOnceAsync(stoppingToken), LogFailed, LogRecovered).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node} {Change} dead-node reclamation")]
    private partial void LogLeadership(string node, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node} dead for {Seconds:F0} s: released {Count} addresses of its non-static endpoints")]
    private partial void LogReclaimed(string node, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dead-node reclamation failed: {Error}; trying again every round (logged again once it works)")]
    private partial void LogFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "dead-node reclamation works again")]
    private partial void LogRecovered();
}
