using Underpool.Agent.Failures;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Import;

/// <summary>The pools an import asks to create: each checked exactly as `pool create` checks it, all of them before the
/// first is created, then created through <see cref="PoolAdminService.CreateAsync"/> (a dry run stops after the checks).
/// A pool of the same name that exists already is kept as it is, so running an import again changes nothing.</summary>
internal sealed class ImportPools(PoolAdminService admin, IIpamStore store)
{
    /// <summary>What was done with each pool, and the pools a dry run would create (a real run returns none: they are
    /// in the store).</summary>
    public async Task<Outcome<(List<ImportPoolResult> Results, List<PoolSpec> WouldCreate)>> EnsureAsync(
        IReadOnlyList<PoolDefinition> definitions, bool dryRun, CancellationToken cancellationToken)
    {
        if (definitions.Count == 0)
        {
            return (new List<ImportPoolResult>(), new List<PoolSpec>());
        }

        PoolsSnapshot snapshot = await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<ImportPoolResult>();
        var fresh = new List<(PoolDefinition Definition, PoolSpec Spec)>();
        var invalid = new List<string>();
        var overlaps = new List<string>();
        foreach (PoolDefinition definition in definitions)
        {
            if (snapshot.Pools.Any(p => p.Name == definition.Name))
            {
                results.Add(new ImportPoolResult { Name = definition.Name, Outcome = "exists" });
                continue;
            }

            Outcome<PoolSpec> parsed = PoolAdminService.ParseNew(definition);
            if (!parsed.IsSuccess)
            {
                invalid.Add(parsed.Failure.Detail);
                continue;
            }

            // Against the pools stored and the ones this import creates before it: two derived pools may collide too.
            PoolSpec spec = parsed.Value!;
            if (fresh.Any(f => f.Spec.Name == spec.Name))
            {
                invalid.Add($"pool '{spec.Name}' is asked for twice");
            }

            overlaps.AddRange(PoolOverlap.Find(spec, snapshot.Pools.Concat(fresh.Select(f => f.Spec))));
            fresh.Add((definition, spec));
        }

        if (invalid.Count > 0 || overlaps.Count > 0)
        {
            Failure refusal = invalid.Count > 0
                ? new Failure(ProblemKinds.InvalidPool, string.Join("; ", invalid.Concat(overlaps)))
                : PoolAdminService.Overlap(overlaps);
            return refusal with { Detail = $"no pool was created and nothing imported: {refusal.Detail}" };
        }

        if (dryRun)
        {
            results.AddRange(fresh.Select(f => new ImportPoolResult { Name = f.Spec.Name, Outcome = "would-create" }));
            return (results, fresh.Select(f => f.Spec).ToList());
        }

        foreach ((PoolDefinition definition, PoolSpec spec) in fresh)
        {
            Outcome<PoolView> created = await admin.CreateAsync(definition, cancellationToken).ConfigureAwait(false);
            if (!created.IsSuccess)
            {
                string before = string.Join(", ", results.Where(r => r.Outcome == "created").Select(r => r.Name));
                return created.Failure with
                {
                    Detail = $"creating pool '{spec.Name}' failed, nothing imported{(before.Length > 0 ? $" (created before it: {before})" : string.Empty)}: {created.Failure.Detail}",
                };
            }

            results.Add(new ImportPoolResult { Name = spec.Name, Outcome = "created" });
        }

        return (results, new List<PoolSpec>());
    }
}
