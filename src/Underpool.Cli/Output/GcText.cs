using System.Globalization;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>The `gc run` report and the `ip list --leaked` table.</summary>
internal static class GcText
{
    public static void WriteReport(GcRunResponse report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        IReadOnlyList<GcFinding> releases = report.DryRun ? report.WouldRelease : report.Released;
        string verb = report.DryRun ? "would release" : "released";
        string stopVerb = report.DryRun ? "would mark not running" : "marked not running";
        if (releases.Count + report.Stopped.Count > 0)
        {
            var table = new TableWriter("ACTION", "ADDRESS", "POOL", "NETWORK", "CONTAINER", "IF", "POD", "WHY");
            foreach (GcFinding f in releases)
            {
                AddRow(table, verb, f);
            }

            foreach (GcFinding f in report.Stopped)
            {
                AddRow(table, stopVerb, f);
            }

            table.WriteTo(output);
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"node {report.Node}: {verb} {releases.Count} address(es), {stopVerb} {report.Stopped.Count} static; "
            + $"left alone: {report.InGrace} in grace (ADD may be in flight), {report.UnknownLiveness} without a netns path (unknown liveness)"));
    }

    /// <summary>`ip list --leaked`: what a sweep would release now, in the `ip list` columns plus why.</summary>
    public static void WriteLeaked(GcRunResponse report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new TableWriter("ADDRESS", "POOL", "NODE", "NETWORK", "CONTAINER", "IF", "POD", "WHY");
        foreach (GcFinding f in report.WouldRelease)
        {
            AllocationView a = f.Allocation;
            table.AddRow(a.Address, a.Pool, a.Node, a.Network, Short(a.ContainerId), a.IfName, Pod(a), f.Detail);
        }

        table.WriteTo(output);
    }

    private static void AddRow(TableWriter table, string action, GcFinding f)
    {
        AllocationView a = f.Allocation;
        table.AddRow(action, a.Address, a.Pool, a.Network, Short(a.ContainerId), a.IfName, Pod(a), f.Detail);
    }

    private static string Short(string containerId) =>
        containerId.Length <= AllocationText.ShortContainerId ? containerId : containerId[..AllocationText.ShortContainerId];

    private static string Pod(AllocationView a) => a.PodName is null ? PoolText.None : a.PodNamespace is null ? a.PodName : $"{a.PodNamespace}/{a.PodName}";
}
