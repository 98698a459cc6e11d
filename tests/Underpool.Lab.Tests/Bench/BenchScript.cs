using System.Text.RegularExpressions;

namespace Underpool.Lab.Tests;

/// <summary>Running a benchmark runner from bench/ the way a person does, and checking that it removed its lab.</summary>
internal static partial class BenchScript
{
    public static readonly string Root = UnderpoolBinaries.RepositoryRoot();

    /// <summary>Runs bench/<paramref name="runner"/>/run.sh as it is, e.g. to see it refuse a bad option (no root,
    /// lab or programs needed).</summary>
    public static Task<ProcessResult> RunAsync(string runner, IEnumerable<string> arguments) =>
        ProcessRunner.RunAsync(Path.Combine(Root, "bench", runner, "run.sh"), arguments);

    /// <summary>Runs bench/<paramref name="runner"/>/run.sh for real, with the published programs.</summary>
    public static Task<ProcessResult> RunInLabAsync(string runner, IEnumerable<string> arguments, TimeSpan timeout) =>
        ProcessRunner.RunAsync(
            Path.Combine(Root, "bench", runner, "run.sh"),
            arguments,
            environment: new Dictionary<string, string?> { ["UNDERPOOL_BIN"] = UnderpoolBinaries.Directory },
            timeout: timeout);

    /// <summary>Runs a bash snippet in the repository root (sourcing a runner's library to check one function).</summary>
    public static Task<ProcessResult> BashAsync(string script) =>
        ProcessRunner.RunAsync("bash", ["-c", $"set -euo pipefail; cd '{Root}'; {script}"]);

    /// <summary>The runner names its lab ("lab namespaces PREFIX*") in its header; none of them may be left.</summary>
    public static async Task AssertRemovedItsLabAsync(string output)
    {
        string prefix = PrefixLine().Match(output).Groups["prefix"].Value;
        Assert.NotEmpty(prefix);
        ProcessResult namespaces = await ProcessRunner.RunAsync("ip", ["netns", "list"]);
        Assert.DoesNotContain(prefix, namespaces.StandardOutput, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\(lab namespaces (?<prefix>[A-Za-z0-9_-]+)\*\)")]
    private static partial Regex PrefixLine();
}
