using System.Globalization;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>The `import` report: what happened to each address, then one line of totals.</summary>
internal static class ImportText
{
    public static void WriteReport(ImportResponse report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        foreach (ImportPoolResult pool in report.Pools)
        {
            output.WriteLine($"pool {pool.Name}: {pool.Outcome.Replace('-', ' ')}");
        }

        if (report.Results.Count > 0)
        {
            var table = new TableWriter("ACTION", "ADDRESS", "POOL", "NODE", "CONTAINER", "IF", "POD", "WHY");
            foreach (ImportResult r in report.Results)
            {
                table.AddRow(
                    r.Outcome.Replace('-', ' '),
                    r.Address,
                    r.Pool ?? PoolText.None,
                    r.Node,
                    r.ContainerId.Length <= AllocationText.ShortContainerId ? r.ContainerId : r.ContainerId[..AllocationText.ShortContainerId],
                    r.IfName,
                    r.PodName is null ? PoolText.None : $"{r.PodNamespace}/{r.PodName}",
                    r.Detail ?? string.Empty);
            }

            table.WriteTo(output);
        }

        int filed = report.Results.Count(r => r.Outcome is ImportOutcomes.Imported or ImportOutcomes.WouldImport);
        int held = report.Results.Count(r => r.Outcome == ImportOutcomes.AlreadyHeld);
        int skipped = report.Results.Count(r => r.Outcome == ImportOutcomes.Skipped);
        string verb = report.DryRun ? "would import" : "imported";
        string dryRun = report.DryRun ? " (dry run: nothing changed)" : string.Empty;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{verb} {filed} address(es); {held} already held by the same attachment; {skipped} skipped{dryRun}"));
    }
}
