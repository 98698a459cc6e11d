using Microsoft.Extensions.Logging;
using Underpool.Agent.Failures;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Import;

/// <summary>Files the live allocations of another IPAM (host-local, Whereabouts, Spiderpool) as Underpool attachments,
/// so that switching IPAM renumbers no running pod and hands none of their addresses to a new one.</summary>
/// <remarks>Each attachment is filed all or nothing, under the key its runtime's CNI DEL and ADD use, so the DEL releases
/// it and a repeated ADD gets it back. Nothing held is ever overwritten: an address outside every pool or held by
/// another attachment is reported and skipped. Running an import again changes nothing (its attachments are "already
/// held"). Attachments go to the store in batches, one store call each, not one per address.</remarks>
internal sealed partial class ImportService(
    IIpamStore store, PoolRegistry registry, PoolAdminService admin, TimeProvider clock, ILogger<ImportService> log)
{
    /// <summary>Attachments per store call: a SQLite batch is one transaction, and this keeps its hold on the write lock
    /// (which ADDs of this host wait for) to about a tenth of a second.</summary>
    private const int CommitBatch = 1000;

    /// <summary>Plan-and-commit rounds for attachments whose commit found the pools changed since the plan.</summary>
    private const int Rounds = 3;

    public async Task<Outcome<ImportResponse>> ImportAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        Outcome<IReadOnlyList<ImportCandidate>> candidates = ImportRequestReader.Read(request);
        if (!candidates.IsSuccess)
        {
            return candidates.Failure;
        }

        var pools = await new ImportPools(admin, store).EnsureAsync(request.CreatePools, request.DryRun, cancellationToken).ConfigureAwait(false);
        if (!pools.IsSuccess)
        {
            return pools.Failure;
        }

        List<AttachmentPlan> settled = await FileAsync(candidates.Value!, pools.Value.WouldCreate, request.DryRun, cancellationToken)
            .ConfigureAwait(false);
        ImportResponse response = ImportReport.Build(request, pools.Value.Results, settled);
        LogImported(
            request.Source,
            request.Network,
            request.DryRun ? "would file" : "filed",
            settled.Where(p => p.Action == PlanAction.Import).Sum(p => p.Addresses.Count),
            settled.Where(p => p.Action == PlanAction.AlreadyHeld).Sum(p => p.Addresses.Count),
            settled.Where(p => p.Action == PlanAction.Skip).Sum(p => p.Addresses.Count));
        return response;
    }

    /// <summary>Plans every attachment against the store as it is, commits those to import in batches, and plans again
    /// those whose commit found a pool changed or an address reserved meanwhile. Returns each attachment's final plan,
    /// in request order.</summary>
    private async Task<List<AttachmentPlan>> FileAsync(
        IReadOnlyList<ImportCandidate> candidates, IReadOnlyList<PoolSpec> wouldCreate, bool dryRun, CancellationToken cancellationToken)
    {
        var settled = new List<AttachmentPlan>(candidates.Count);
        IReadOnlyList<ImportCandidate> pending = candidates;
        for (int round = 1; pending.Count > 0; round++)
        {
            List<AttachmentPlan> plans = await PlanAsync(pending, wouldCreate, cancellationToken).ConfigureAwait(false);
            if (dryRun)
            {
                settled.AddRange(plans);
                break;
            }

            settled.AddRange(plans.Where(p => p.Action != PlanAction.Import));
            var stale = new List<ImportCandidate>();
            foreach (AttachmentPlan[] batch in plans.Where(p => p.Action == PlanAction.Import).Chunk(CommitBatch))
            {
                List<IReadOnlyList<AllocationRecord>> records = batch.Select(p => (IReadOnlyList<AllocationRecord>)Records(p)).ToList();
                IReadOnlyList<CommitOutcome> outcomes = await store.TryCommitManyAsync(records, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < batch.Length; i++)
                {
                    if (outcomes[i].Status == CommitStatus.Stale && round < Rounds)
                    {
                        stale.Add(batch[i].Candidate);
                    }
                    else
                    {
                        settled.Add(Settle(batch[i], outcomes[i], records[i]));
                    }
                }
            }

            // This agent's view takes the filed addresses now, so no ADD here picks one of them.
            await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
            pending = stale;
        }

        settled.Sort((a, b) => a.Candidate.Index.CompareTo(b.Candidate.Index));
        return settled;
    }

    private async Task<List<AttachmentPlan>> PlanAsync(
        IReadOnlyList<ImportCandidate> candidates, IReadOnlyList<PoolSpec> wouldCreate, CancellationToken cancellationToken)
    {
        await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var pools = new Dictionary<string, PoolSpec>(registry.Pools, StringComparer.Ordinal);
        foreach (PoolSpec pool in wouldCreate)
        {
            pools[pool.Name] = pool;
        }

        IReadOnlyList<AllocationRecord> held = await store.ListAllocationsAsync(AllocationFilter.All, cancellationToken).ConfigureAwait(false);
        return new ImportPlanner(pools, registry.Reserved, registry.Quarantined, held).Plan(candidates);
    }

    private List<AllocationRecord> Records(AttachmentPlan plan)
    {
        DateTimeOffset now = clock.GetUtcNow();
        ImportAttachment source = plan.Candidate.Source;
        return plan.Addresses.Select(a => new AllocationRecord
        {
            Pool = a.Pool!.Name, // An attachment planned for import has a pool for every address.
            PoolGeneration = a.Pool.Generation,
            Address = a.Address,
            Attachment = plan.Candidate.Key,
            Node = plan.Candidate.Node,
            PodNamespace = source.PodNamespace,
            PodName = source.PodName,
            PodUid = source.PodUid,
            CreatedAt = now,
        }).ToList();
    }

    /// <summary>The plan as the commit settled it.</summary>
    private static AttachmentPlan Settle(AttachmentPlan plan, CommitOutcome outcome, IReadOnlyList<AllocationRecord> records) => outcome.Status switch
    {
        CommitStatus.Committed => plan,
        CommitStatus.AttachmentExists when CommitRecords.SameAddresses(outcome.Existing, records) => plan with { Action = PlanAction.AlreadyHeld },
        CommitStatus.AttachmentExists => AttachmentPlan.Skip(plan.Candidate, plan.Addresses.Select(a => a with
        {
            Problem = $"attachment {plan.Candidate.Key} came to hold {string.Join(", ", outcome.Existing.Select(r => r.Address))} while importing",
        }).ToList()),
        CommitStatus.AddressTaken => AttachmentPlan.Skip(plan.Candidate, plan.Addresses.Select(a => outcome.Taken.Contains((a.Pool!.Name, a.Address))
            ? a with { Problem = "taken by another attachment while importing" }
            : a).ToList()),
        _ => AttachmentPlan.Skip(plan.Candidate, plan.Addresses.Select(a => a with
        {
            Problem = $"its pool kept changing (or the address was reserved) while importing; run the import again",
        }).ToList()),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "import from {Source} into network {Network}: {Verb} {Imported} address(es); {Held} already held; {Skipped} skipped")]
    private partial void LogImported(string source, string network, string verb, int imported, int held, int skipped);
}
