using System.Globalization;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>The `ip list` table.</summary>
internal static class AllocationText
{
    /// <summary>Container IDs are 64 hex digits; twelve tell them apart, as docker and podman show them.</summary>
    public const int ShortContainerId = 12;

    public static void WriteTable(IReadOnlyList<AllocationView> allocations, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(allocations);
        var table = new TableWriter("ADDRESS", "POOL", "NODE", "NETWORK", "CONTAINER", "IF", "POD", "CREATED");
        foreach (AllocationView a in allocations)
        {
            table.AddRow(
                a.Address,
                a.Pool,
                a.Node,
                a.Network,
                a.ContainerId.Length <= ShortContainerId ? a.ContainerId : a.ContainerId[..ShortContainerId],
                a.IfName,
                Pod(a),
                a.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        table.WriteTo(output);
    }

    private static string Pod(AllocationView a) => (a.PodNamespace, a.PodName) switch
    {
        (null, null) => PoolText.None,
        (null, string name) => name,
        (string ns, null) => $"{ns}/?",
        (string ns, string name) => $"{ns}/{name}",
    };
}
