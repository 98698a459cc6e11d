using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Underpool.Store;

namespace Underpool.Agent.Nodes;

/// <summary>Keeps this node registered and alive in the store: a heartbeat every third of <see cref="AgentOptions.NodeTtl"/>,
/// so two missed beats in a row still leave the node alive. Each beat carries the labels and the uplink MACs learnt so far.</summary>
public sealed partial class NodeHeartbeat : BackgroundService
{
    private readonly IIpamStore _store;
    private readonly AgentOptions _options;
    private readonly TimeProvider _clock;
    private readonly LocalUplinks _uplinks;
    private readonly ILogger<NodeHeartbeat> _log;

    public NodeHeartbeat(IIpamStore store, AgentOptions options, TimeProvider clock, LocalUplinks uplinks, ILogger<NodeHeartbeat> log)
    {
        _store = store;
        _options = options;
        _clock = clock;
        _uplinks = uplinks;
        _log = log;
    }

    /// <summary>One heartbeat; the host calls it once before serving so the node is listed from the first request.</summary>
    public Task BeatAsync(CancellationToken cancellationToken) =>
        _store.HeartbeatNodeAsync(_options.Node, _options.NodeLabels, _uplinks.Macs, _options.NodeTtl, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A newly learnt uplink MAC is recorded at once, not at the next beat: other agents need it to tell this node's
        // probes from a foreign host's.
        using var wake = new WakeTimer(_options.NodeTtl / 3, _clock, _uplinks.WaitForChangeAsync);
        var failures = new FailureStreak();
        while (true)
        {
            await wake.WaitAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await BeatAsync(stoppingToken).ConfigureAwait(false);
                if (failures.Ends())
                {
                    LogRecovered(_options.Node);
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.Data.Common.DbException)
            {
                // The store is down: keep trying; the node shows as dead only once the ttl passes without a beat.
                if (failures.Begins())
                {
                    LogFailed(_options.Node, e.Message);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "heartbeat of node {Node} failed: {Error}; retrying every third of the node ttl")]
    private partial void LogFailed(string node, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "heartbeat of node {Node} works again")]
    private partial void LogRecovered(string node);
}
