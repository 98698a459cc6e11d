namespace Underpool.Cli.Output;

/// <summary>Plain aligned columns: a header row, cells left-aligned, three spaces between columns, no trailing blanks.</summary>
internal sealed class TableWriter
{
    private const string Gap = "   ";
    private readonly List<string[]> _rows = [];
    private readonly int _columns;

    public TableWriter(params string[] header)
    {
        ArgumentNullException.ThrowIfNull(header);
        _columns = header.Length;
        _rows.Add(header);
    }

    public void AddRow(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _columns)
        {
            throw new ArgumentException($"a row needs {_columns} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int[] widths = new int[_columns];
        foreach (string[] row in _rows)
        {
            for (int i = 0; i < _columns; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (string[] row in _rows)
        {
            var line = new System.Text.StringBuilder();
            for (int i = 0; i < _columns; i++)
            {
                if (i > 0)
                {
                    line.Append(Gap);
                }

                line.Append(i == _columns - 1 ? row[i] : row[i].PadRight(widths[i]));
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}
