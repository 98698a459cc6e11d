using System.Globalization;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>Quarantined addresses for people.</summary>
internal static class ConflictText
{
    public static void WriteList(ConflictList list, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(list);
        var table = new TableWriter("ADDRESS", "POOL", "MAC", "ANSWERED BY", "SEEN ON", "IF", "DETECTED");
        foreach (ConflictView c in list.Conflicts)
        {
            table.AddRow(c.Address, c.Pool, c.Mac, AnsweredBy(c), c.Node, c.Interface, Time(c.DetectedAt));
        }

        table.WriteTo(output);
    }

    public static void WriteCleared(ConflictView freed, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(freed);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(freed.AnsweredBy == ConflictView.Foreign
            ? $"freed {freed.Address}: no foreign host answered on {freed.Interface}; pool '{freed.Pool}' may hand it out again"
            : $"freed {freed.Address}: its answer came from our own {AnsweredBy(freed)}, not a foreign host; pool '{freed.Pool}' may hand it out again");
    }

    /// <summary>"foreign", "node n2" or "pod shop/web-0".</summary>
    private static string AnsweredBy(ConflictView c) =>
        c.AnsweredBy == ConflictView.Foreign || c.Owner is null ? c.AnsweredBy : $"{c.AnsweredBy} {c.Owner}";

    private static string Time(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
