namespace Underpool.Cli.Import;

/// <summary>Mistakes found in an import's input: collected all at once, so one run names every one; any of them
/// stops the import before anything is sent.</summary>
internal sealed class InputErrors
{
    /// <summary>How many mistakes the one-line message lists.</summary>
    private const int Shown = 5;

    private readonly List<string> _errors = [];

    public int Count => _errors.Count;

    public void Add(string error) => _errors.Add(error);

    /// <summary>The first few mistakes on one line, and how many more there are.</summary>
    public string Describe() =>
        string.Join("; ", _errors.Take(Shown))
        + (_errors.Count > Shown ? $"; and {_errors.Count - Shown} more" : string.Empty)
        + "; nothing was imported";
}
