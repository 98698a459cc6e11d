using Underpool.Agent.Conflicts;
using Underpool.Agent.Failures;
using Underpool.Core.Pools;
using Underpool.Probe;

namespace Underpool.Agent.Add;

/// <summary>Screens an ADD's candidates before anything is written: a candidate another host answers for is
/// quarantined and replaced in the lease (<see cref="ConflictScreen"/>), and only then is the gateway checked (see
/// <see cref="GatewayVerifier"/> for why not at once).</summary>
internal sealed class CandidateScreen(ConflictScreen conflicts, GatewayVerifier gateways, UplinkResolver uplinks)
{
    /// <returns>Null when the lease's candidates may be committed; else why not.</returns>
    public async Task<Failure?> ScreenAsync(
        AddIntent want, CandidateLease lease, IReadOnlyList<IReadOnlyList<PoolSpec>> families, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(want);
        ArgumentNullException.ThrowIfNull(lease);
        Uplink? uplink = uplinks.For(want.Request.Uplink);
        if (await conflicts.ScreenAsync(lease, families, uplink, [.. want.Requested.Values], cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        IEnumerable<PoolSpec> pools = lease.Held.Select(c => c.Pool).DistinctBy(p => p.Name);
        return await gateways.VerifyAsync(pools, uplink, cancellationToken).ConfigureAwait(false);
    }
}
