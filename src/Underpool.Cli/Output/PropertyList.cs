namespace Underpool.Cli.Output;

/// <summary>"key:   value" lines with the values aligned, for one object shown in full (pool show, status).</summary>
internal sealed class PropertyList
{
    private readonly List<(string Key, string Value)> _items = [];

    public PropertyList Add(string key, string value)
    {
        _items.Add((key, value));
        return this;
    }

    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int width = _items.Count == 0 ? 0 : _items.Max(i => i.Key.Length) + 1;
        foreach ((string key, string value) in _items)
        {
            output.WriteLine($"{(key + ":").PadRight(width)}   {value}".TrimEnd());
        }
    }
}
