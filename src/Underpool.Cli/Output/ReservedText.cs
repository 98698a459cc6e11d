using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>Reserved addresses for people: what a change did, and the list.</summary>
internal static class ReservedText
{
    public static void WriteChange(ReservedChangeResponse answer, bool added, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(output);
        if (answer.Changed.Count == 0)
        {
            output.WriteLine(added ? "nothing changed: every address was already reserved" : "nothing changed: none of the addresses was reserved");
            return;
        }

        foreach (string address in answer.Changed)
        {
            output.WriteLine(added ? $"reserved {address}" : $"unreserved {address}");
        }
    }

    public static void WriteList(ReservedList reserved, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        var table = new TableWriter("ADDRESS");
        foreach (string address in reserved.Addresses)
        {
            table.AddRow(address);
        }

        table.WriteTo(output);
    }
}
