using Underpool.Api.Contracts;

namespace Underpool.Agent.Import;

/// <summary>The answer to an import: one row per address of the request, in its order.</summary>
internal static class ImportReport
{
    public static ImportResponse Build(ImportRequest request, IReadOnlyList<ImportPoolResult> pools, IReadOnlyList<AttachmentPlan> plans) => new()
    {
        DryRun = request.DryRun,
        Pools = pools,
        Results = plans.SelectMany(plan => plan.Addresses.Select(a => new ImportResult
        {
            Address = a.Address.ToString(),
            Pool = a.Pool?.Name,
            Network = plan.Candidate.Key.Network,
            ContainerId = plan.Candidate.Key.ContainerId,
            IfName = plan.Candidate.Key.IfName,
            Node = plan.Candidate.Node,
            PodNamespace = plan.Candidate.Source.PodNamespace,
            PodName = plan.Candidate.Source.PodName,
            Origin = plan.Candidate.Source.Origin,
            Outcome = plan.Action switch
            {
                PlanAction.Import => request.DryRun ? ImportOutcomes.WouldImport : ImportOutcomes.Imported,
                PlanAction.AlreadyHeld => ImportOutcomes.AlreadyHeld,
                _ => ImportOutcomes.Skipped,
            },
            Detail = plan.Action switch
            {
                PlanAction.AlreadyHeld => $"attachment {plan.Candidate.Key} holds it already",
                PlanAction.Skip => a.Problem,
                _ => null,
            },
        })).ToList(),
    };
}
