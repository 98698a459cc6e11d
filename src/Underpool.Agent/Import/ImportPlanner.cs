using Underpool.Agent.Pools;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Import;

/// <summary>Decides, from what the store holds now, what an import does with each attachment: pure, so a dry run
/// and a real run plan alike (the real run's commit is still the guard against anything that changed since).</summary>
internal sealed class ImportPlanner
{
    private readonly IReadOnlyDictionary<string, PoolSpec> _pools;
    private readonly HashSet<IpAddress> _reserved;
    private readonly Dictionary<IpAddress, QuarantineRecord> _quarantined;
    private readonly ILookup<AttachmentKey, AllocationRecord> _byAttachment;
    private readonly ILookup<IpAddress, AllocationRecord> _byAddress;

    /// <param name="pools">Every pool by name (with those a dry run would create).</param>
    /// <param name="held">Every allocation in the store.</param>
    public ImportPlanner(
        IReadOnlyDictionary<string, PoolSpec> pools,
        IEnumerable<IpAddress> reserved,
        IEnumerable<QuarantineRecord> quarantined,
        IReadOnlyList<AllocationRecord> held)
    {
        _pools = pools;
        _reserved = reserved.ToHashSet();
        _quarantined = quarantined.ToDictionary(q => q.Address);
        _byAttachment = held.ToLookup(r => r.Attachment);
        _byAddress = held.ToLookup(r => r.Address);
    }

    public List<AttachmentPlan> Plan(IReadOnlyList<ImportCandidate> candidates)
    {
        HashSet<IpAddress> claimedTwice = candidates.SelectMany(c => c.Addresses.Select(a => a.Address))
            .GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        HashSet<AttachmentKey> listedTwice = candidates.GroupBy(c => c.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return candidates.Select(c => PlanOne(c, claimedTwice, listedTwice)).ToList();
    }

    private AttachmentPlan PlanOne(ImportCandidate candidate, HashSet<IpAddress> claimedTwice, HashSet<AttachmentKey> listedTwice)
    {
        // The input contradicts itself: which claim is true cannot be told, so neither is filed.
        bool twice = listedTwice.Contains(candidate.Key);
        List<PlannedAddress> addresses = candidate.Addresses.Select(a => twice
                ? new PlannedAddress(a.Address, null, $"the input lists attachment {candidate.Key} more than once")
                : claimedTwice.Contains(a.Address)
                    ? new PlannedAddress(a.Address, null, "the input gives it to more than one attachment")
                    : Resolve(a.Address, a.Pool))
            .ToList();
        if (addresses.Any(a => a.Problem is not null))
        {
            return AttachmentPlan.Skip(candidate, addresses);
        }

        List<AllocationRecord> own = _byAttachment[candidate.Key].ToList();
        if (own.Count > 0)
        {
            bool same = own.Count == addresses.Count && addresses.All(a => own.Any(r => r.Address == a.Address && r.Pool == a.Pool!.Name));
            return same
                ? new AttachmentPlan(candidate, PlanAction.AlreadyHeld, addresses)
                : AttachmentPlan.Skip(candidate, addresses.Select(a => a with
                {
                    Problem = $"attachment {candidate.Key} already holds {string.Join(", ", own.Select(r => $"{r.Address} (pool '{r.Pool}')"))}; "
                              + "release it first (its CNI DEL, or 'underpoolctl endpoint release')",
                }).ToList());
        }

        addresses = addresses.Select(a => HolderOf(a) is { } holder ? a with { Problem = $"held by {Describe(holder)}" } : a).ToList();
        return addresses.Any(a => a.Problem is not null)
            ? AttachmentPlan.Skip(candidate, addresses)
            : new AttachmentPlan(candidate, PlanAction.Import, addresses);
    }

    /// <summary>The pool that takes <paramref name="address"/>: the one named, which must hand it out, or else the one
    /// pool that hands it out (an application pool before its parent, which holds the address for it).</summary>
    private PlannedAddress Resolve(IpAddress address, string? named)
    {
        PoolSpec? pool;
        if (named is not null)
        {
            if (!_pools.TryGetValue(named, out pool))
            {
                return new PlannedAddress(address, null, $"no pool named '{named}'");
            }

            if (!PoolOverlap.HandsOut(pool, address))
            {
                return new PlannedAddress(address, null, $"pool '{named}' ({pool.Subnet}) does not hand it out: outside its subnet or ranges, excluded, or its gateway");
            }
        }
        else
        {
            List<PoolSpec> takers = _pools.Values.Where(p => p.Family == address.Family && p.Subnet.Contains(address) && PoolOverlap.HandsOut(p, address))
                .OrderBy(p => p.Parent is null).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
            if (takers.Count == 0)
            {
                return new PlannedAddress(address, null, "outside every pool: no pool hands it out (create one, or name one with --pool)");
            }

            // Pools share no address, except an application pool with the parent it was carved from.
            if (takers.Count > 1 && (takers[0].Parent is null || takers[1].Parent is not null))
            {
                return new PlannedAddress(address, null, $"handed out by pools {string.Join(" and ", takers.Select(t => $"'{t.Name}'"))}; name one");
            }

            pool = takers[0];
        }

        if (_reserved.Contains(address))
        {
            return new PlannedAddress(address, pool, "reserved: no pool hands it out, so nothing else can take it ('underpoolctl reserved remove' it to file it)");
        }

        return _quarantined.TryGetValue(address, out QuarantineRecord? conflict)
            ? new PlannedAddress(address, pool, $"quarantined: {conflict.Mac} answered for it on {conflict.Node} ('underpoolctl conflict clear' it first)")
            : new PlannedAddress(address, pool, null);
    }

    /// <summary>A record that holds the planned address for another attachment. Its own application pool's carving in
    /// the parent does not count: that is how an application pool holds its addresses.</summary>
    private AllocationRecord? HolderOf(PlannedAddress planned) => _byAddress[planned.Address].FirstOrDefault(r =>
        !(r.Kind == AllocationKind.Carve && r.Attachment.ContainerId == planned.Pool!.Name));

    private static string Describe(AllocationRecord record) =>
        record.Kind == AllocationKind.Carve
            ? $"application pool '{record.Attachment.ContainerId}' (carved from pool '{record.Pool}')"
            : $"{record.Attachment}{(record.PodName is null ? string.Empty : $" (pod {record.PodNamespace}/{record.PodName})")} in pool '{record.Pool}' on {record.Node}";
}
