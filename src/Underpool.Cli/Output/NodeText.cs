using System.Globalization;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>The `node list` table and the `node forget` report.</summary>
internal static class NodeText
{
    public static void WriteForgotten(NodeForgetResponse forgotten, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(forgotten);
        ArgumentNullException.ThrowIfNull(output);
        if (forgotten.Released.Count > 0)
        {
            AllocationText.WriteTable(forgotten.Released, output);
        }

        output.WriteLine($"node {forgotten.Node}: released {forgotten.Released.Count} address(es); kept {forgotten.KeptStatic} of static endpoints");
    }

    public static void WriteTable(NodeList nodes, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var table = new TableWriter("NODE", "STATUS", "ALLOCATIONS", "LAST SEEN", "LABELS");
        foreach (NodeView node in nodes.Nodes)
        {
            table.AddRow(
                node.Name,
                node.Alive ? "alive" : "dead",
                node.Allocations.ToString(CultureInfo.InvariantCulture),
                node.LastSeen?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? PoolText.None,
                node.Labels.Count == 0 ? PoolText.None : string.Join(',', node.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        }

        table.WriteTo(output);
    }
}
