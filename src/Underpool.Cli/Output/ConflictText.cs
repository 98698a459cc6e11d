using System.Globalization;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>Quarantined addresses for people.</summary>
internal static class ConflictText
{
    public static void WriteList(ConflictList list, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(list);
        var table = new TableWriter("ADDRESS", "POOL", "MAC", "NODE", "IF", "DETECTED");
        foreach (ConflictView c in list.Conflicts)
        {
            table.AddRow(c.Address, c.Pool, c.Mac, c.Node, c.Interface, Time(c.DetectedAt));
        }

        table.WriteTo(output);
    }

    public static void WriteCleared(ConflictView freed, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(freed);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"freed {freed.Address}: nobody answered on {freed.Interface}; pool '{freed.Pool}' may hand it out again");
    }

    private static string Time(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
