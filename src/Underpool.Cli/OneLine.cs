namespace Underpool.Cli;

/// <summary>Folds a message onto one line, so every error the CLI prints is exactly one line of stderr.</summary>
internal static class OneLine
{
    public static string Of(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
