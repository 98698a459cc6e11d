using Underpool.Cli.Output;

namespace Underpool.Cli.Tests;

public sealed class TableWriterTests
{
    private static string[] Render(TableWriter table)
    {
        using var output = new StringWriter();
        table.WriteTo(output);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }

    [Fact]
    public void Every_column_starts_at_the_same_position_on_every_line()
    {
        var table = new TableWriter("NAME", "SUBNET", "USED%");
        table.AddRow("a-very-long-pool-name", "10.0.0.0/24", "1.0%");
        table.AddRow("p", "2001:db8:20::/64", "100.0%");

        string[] lines = Render(table);

        Assert.Equal(3, lines.Length);
        int subnetColumn = lines[0].IndexOf("SUBNET", StringComparison.Ordinal);
        int usedColumn = lines[0].IndexOf("USED%", StringComparison.Ordinal);
        Assert.Equal("a-very-long-pool-name".Length + 3, subnetColumn);
        Assert.Equal(subnetColumn, lines[1].IndexOf("10.0.0.0/24", StringComparison.Ordinal));
        Assert.Equal(subnetColumn, lines[2].IndexOf("2001:db8:20::/64", StringComparison.Ordinal));
        Assert.Equal(usedColumn, lines[1].IndexOf("1.0%", StringComparison.Ordinal));
        Assert.Equal(usedColumn, lines[2].IndexOf("100.0%", StringComparison.Ordinal));
    }

    [Fact]
    public void Lines_carry_no_trailing_blanks()
    {
        var table = new TableWriter("A", "B");
        table.AddRow("long value", "");

        Assert.All(Render(table), line => Assert.Equal(line.TrimEnd(), line));
    }

    [Fact]
    public void A_table_without_rows_prints_its_header()
    {
        Assert.Equal(["NAME   FAMILY"], Render(new TableWriter("NAME", "FAMILY")));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_a_bug()
    {
        var table = new TableWriter("A", "B");

        Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
    }
}
