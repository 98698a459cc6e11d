using Underpool.Agent.Add;
using Underpool.Agent.Failures;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Pools;

// Carving: an application pool's addresses are allocations in its parent, one carve record each.
internal sealed partial class AppPoolService
{
    /// <summary>Null when <paramref name="parent"/> may give addresses to carve; else why not: a disabled pool, or one
    /// that breaks a pool rule, hands out nothing new, and a carve is handing out.</summary>
    private Failure? CarveRefusal(PoolSpec parent)
    {
        if (parent.Disabled)
        {
            return new Failure(
                ProblemKinds.PoolDisabled,
                $"pool '{parent.Name}' is disabled: it hands out nothing new, so nothing can be carved from it "
                + $"('underpoolctl pool update {parent.Name} --enable' enables it)");
        }

        return _registry.Problems.GetValueOrDefault(parent.Name) is { Count: > 0 } problems
            ? new Failure(
                ProblemKinds.PoolBreaksRule,
                $"pool '{parent.Name}' breaks a pool rule and hands out nothing new ({problems[0]}); carve from another pool")
            : null;
    }

    /// <summary>Allocates <paramref name="count"/> free addresses of <paramref name="parent"/> to the application pool,
    /// one carve record each; all or nothing (what was carved is given back on failure).</summary>
    private async Task<Outcome<List<IpAddress>>> CarveAsync(PoolSpec parent, string appPool, int count, CancellationToken cancellationToken)
    {
        var carved = new List<IpAddress>(count);
        for (int tries = 0; carved.Count < count; tries++)
        {
            // One address per round, leased from the view: whatever the round does not commit goes back.
            PoolSpec current = _registry.Pools.GetValueOrDefault(parent.Name) ?? parent;
            using var lease = new CandidateLease(_registry, families: 1);
            if (tries > count + (MaxRounds * 8) || !lease.TryTakeFree(0, [current]))
            {
                await UncarveAsync(appPool, carved, cancellationToken).ConfigureAwait(false);
                return new Failure(
                    ProblemKinds.PoolExhausted,
                    $"pool '{parent.Name}' gave {carved.Count} of the {count} addresses asked for (it has no more free, or other agents "
                    + "kept taking them first); release addresses, carve a smaller set or try again");
            }

            IpAddress address = lease[0].Address;
            CommitOutcome outcome;
            try
            {
                outcome = await _store.TryCommitAsync([CarveRecord(current, appPool, address)], cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await UncarveAsync(appPool, carved, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            switch (outcome.Status)
            {
                case CommitStatus.Committed:
                    lease.Committed();
                    carved.Add(address);
                    break;
                case CommitStatus.AddressTaken:
                    lease.HeldElsewhere(0);
                    break;
                default:
                    lease.GiveBackAll();
                    await _registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        return carved;
    }

    private AllocationRecord CarveRecord(PoolSpec parent, string appPool, IpAddress address) => new()
    {
        Pool = parent.Name,
        PoolGeneration = parent.Generation,
        Address = address,
        Attachment = CarveKey(appPool, address),
        Node = _options.Node,
        CreatedAt = _clock.GetUtcNow(),

        // Static: nothing but the application pool's own operations may release a carved address.
        Static = true,
        OwnerKind = CarveOwnerKind,
        OwnerName = appPool,
    };

    /// <summary>Gives carved addresses back to the parent (counted under the reason "app-pool").</summary>
    private async Task UncarveAsync(string appPool, IEnumerable<IpAddress> addresses, CancellationToken cancellationToken)
    {
        foreach (IpAddress address in addresses)
        {
            await _release.ReleaseAsync(CarveKey(appPool, address), MetricReason, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Gives every address carved for <paramref name="appPool"/> back to its parent; returns how many.</summary>
    private async Task<long> UncarveAllAsync(string appPool, CancellationToken cancellationToken)
    {
        IReadOnlyList<AllocationRecord> carves = await _store
            .ListAllocationsAsync(new AllocationFilter(Network: CarveNetwork), cancellationToken)
            .ConfigureAwait(false);
        List<IpAddress> mine = carves.Where(r => r.Attachment.ContainerId == appPool).Select(r => r.Address).ToList();
        await UncarveAsync(appPool, mine, cancellationToken).ConfigureAwait(false);
        return mine.Count;
    }

    /// <summary>One carved address's attachment: one each, so a shrink releases exactly the addresses it frees.</summary>
    private static AttachmentKey CarveKey(string appPool, IpAddress address) => new(CarveNetwork, appPool, address.ToString());
}
