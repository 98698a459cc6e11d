using Underpool.Agent.Pools;
using Underpool.Probe;
using Underpool.Store;

namespace Underpool.Agent.Conflicts;

/// <summary>Decides what a probe answer means before anything is quarantined: only a host none of our agents knows,
/// answering for an address the store shows free, is a conflict.</summary>
/// <remarks>Under load most answers are our own: two agents probing one candidate at once see each other's probe
/// (contended, not held), and an agent whose view is a moment behind picks an address another agent has just given to
/// a pod, which answers (a stale pick: the store shows it allocated). Quarantining those drained pools and failed
/// pods with no foreign host anywhere.</remarks>
public sealed class AnswerSettlement(IIpamStore store, PoolRegistry registry, MacDirectory macs)
{
    public async Task<Settlement> SettleAsync(string pool, ProbeAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        string? mac = answer.AnsweredBy?.ToString();
        switch (answer.Finding)
        {
            case ProbeFinding.Clear:
                return Settlement.Clear;
            case ProbeFinding.Contended:
                return new Settlement(Verdict.Contended, mac);
        }

        // Held. The commit that makes this a stale pick has usually reached the journal by now: catching up keeps the
        // replacement pick from repeating the mistake; the store itself has the last word.
        await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        if (await store.GetAllocationAsync(pool, answer.Address, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            return new Settlement(Verdict.Stale, mac, Holder: holder);
        }

        MacOwner? owner = mac is null ? null : await macs.IdentifyAsync(mac, cancellationToken).ConfigureAwait(false);
        return owner switch
        {
            { Kind: MacOwnerKind.Node } => new Settlement(Verdict.OurNode, mac, owner),
            { Kind: MacOwnerKind.Pod } => new Settlement(Verdict.OurPod, mac, owner),
            _ => new Settlement(Verdict.Foreign, mac),
        };
    }
}
