using Microsoft.Extensions.Logging;
using Underpool.Agent.Nodes;
using Underpool.Agent.Observability;
using Underpool.Core.Net;
using Underpool.Probe;
using Underpool.Probe.Linux;

namespace Underpool.Agent.Conflicts;

/// <summary>Runs the agent's probes: counts them, fails open when the uplink cannot be used (logged), and learns this
/// node's uplink MACs from them (see <see cref="LocalUplinks"/>), so other agents can tell this node's probes and
/// answers from a foreign host's.</summary>
public sealed partial class ProbeRunner(
    IAddressProber prober,
    AgentMetrics metrics,
    AgentOptions options,
    LocalUplinks uplinks,
    ILogger<ProbeRunner> log)
{
    /// <summary>Probes every address at once on <paramref name="uplink"/>.</summary>
    /// <returns>One answer per address, in order; null when the uplink could not be used (logged).</returns>
    public async Task<IReadOnlyList<ProbeAnswer>?> ProbeAsync(Uplink uplink, IReadOnlyList<IpAddress> addresses, CancellationToken cancellationToken)
    {
        IReadOnlyList<ProbeAnswer> answers;
        try
        {
            answers = await prober.ProbeAsync(uplink, addresses, options.ProbeSettings, cancellationToken).ConfigureAwait(false);
        }
        catch (ProbeException e)
        {
            metrics.Probed("error", TimeSpan.Zero);
            LogProbeFailed(string.Join(", ", addresses), uplink.ToString(), e.Message);
            return null;
        }

        foreach (ProbeAnswer answer in answers)
        {
            metrics.Probed(answer.Finding.ToString().ToLowerInvariant(), answer.Elapsed);
            if (answer.ProbedFrom is { } own && uplinks.Add(own.ToString()))
            {
                // The heartbeat records it in this node's record, and the quarantine frees what it answered for.
                LogUplinkLearnt(uplink.ToString(), own.ToString());
            }
        }

        return answers;
    }

    /// <summary>Probes one address for anybody at all: a quarantined address to free, or a gateway to reach.</summary>
    /// <returns>The answer, or null when the uplink could not be used (logged).</returns>
    public async Task<ProbeAnswer?> ProbeOneAsync(Uplink uplink, IpAddress address, CancellationToken cancellationToken) =>
        await ProbeAsync(uplink, [address], cancellationToken).ConfigureAwait(false) is [var answer] ? answer : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not probe {Addresses} on {Uplink}: {Error}; handing out unprobed")]
    private partial void LogProbeFailed(string addresses, string uplink, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "uplink {Uplink} has MAC {Mac}: recorded in this node's record, so other agents know it as ours")]
    private partial void LogUplinkLearnt(string uplink, string mac);
}
