using Microsoft.Extensions.Logging;
using Underpool.Agent.Ipam;
using Underpool.Core.Pools;
using Underpool.Probe;

namespace Underpool.Agent.Conflicts;

/// <summary>Checks, for pools that ask, that the gateway answers ARP / NDP on the uplink before an ADD returns.</summary>
/// <remarks>The IPAM plugin runs before the main plugin gives the pod's interface its address, so the pod cannot be
/// asked yet; the uplink is on the same segment as the pod's macvlan/ipvlan interface, so a gateway that answers
/// there is reachable from the pod. Runs after the conflict probes, never alongside them: probing a gateway and
/// candidates at once poisoned neighbours' ARP tables in a peer. Probes come from 0.0.0.0 / ::, so the gateway
/// learns nothing from them.</remarks>
public sealed partial class GatewayVerifier(ConflictScreen screen, AgentOptions options, ILogger<GatewayVerifier> log)
{
    public async Task<Failure?> VerifyAsync(IEnumerable<PoolSpec> pools, Uplink? uplink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pools);
        foreach (PoolSpec pool in pools)
        {
            if (pool.CheckGateway == GatewayCheck.Off || pool.Gateway is not { } gateway)
            {
                continue;
            }

            if (uplink is null)
            {
                LogNoUplink(pool.Name);
                continue;
            }

            if (await screen.ProbeOneAsync(uplink, gateway, cancellationToken).ConfigureAwait(false) is not { } answer || answer.IsHeld)
            {
                continue;
            }

            string what = $"gateway {gateway} of pool '{pool.Name}' did not answer {(gateway.Family == Core.Net.IpFamily.V4 ? "ARP" : "NDP")} "
                + $"on uplink {uplink} within {options.ProbeSettings.Budget.TotalMilliseconds:0} ms";
            if (pool.CheckGateway == GatewayCheck.Warn)
            {
                LogUnreachable(what);
                continue;
            }

            return new Failure(
                "gateway-unreachable",
                409,
                $"{what}; check the gateway and the uplink's VLAN, or set the pool's checkGateway to 'warn' or 'off'",
                105);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "not checking the gateway of pool {Pool}: no uplink known (no netconf master and no --uplink)")]
    private partial void LogNoUplink(string pool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What}; handing out the address anyway (checkGateway warn)")]
    private partial void LogUnreachable(string what);
}
