using System.Text.RegularExpressions;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Api.Tests;

/// <summary>The catalogue and the CNI error code table of docs/architecture.md say the same thing.</summary>
public sealed partial class ProblemCatalogueTests
{
    [Fact]
    public void Every_catalogue_entry_is_listed_in_the_row_of_its_cni_code()
    {
        Dictionary<int, IReadOnlySet<string>> table = DocumentedCodes();
        var missing = ProblemKinds.All
            .Where(k => !table.TryGetValue(k.CniCode, out IReadOnlySet<string>? types) || !types.Contains(k.Type))
            .Select(k => $"{k.Type} (code {k.CniCode})")
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_code_and_type_in_the_table_is_a_catalogue_entry_of_that_code()
    {
        var entries = ProblemKinds.All.Select(k => (k.CniCode, k.Type)).ToHashSet();
        var undocumented = DocumentedCodes()
            .SelectMany(row => row.Value.Count == 0 ? [(row.Key, "(no type)")] : row.Value.Select(t => (row.Key, t)))
            .Where(pair => !entries.Contains(pair))
            .Select(pair => $"{pair.Item2} (code {pair.Key})")
            .ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void A_problem_type_always_carries_the_same_cni_code_and_each_entry_is_listed_once()
    {
        Assert.All(ProblemKinds.All.GroupBy(k => k.Type), g => Assert.Single(g.Select(k => k.CniCode).Distinct()));
        Assert.Equal(ProblemKinds.All.Count, ProblemKinds.All.Distinct().Count());
        Assert.DoesNotContain(ProblemKinds.All, k => string.IsNullOrWhiteSpace(k.Title));
    }

    [Fact]
    public void A_problem_body_carries_the_entrys_type_title_code_and_usual_status_unless_told_another()
    {
        Problem usual = ProblemKinds.PoolExhausted.ToProblem("pool 'a' is exhausted");
        Problem relayed = ProblemKinds.AgentError.ToProblem("the agent answered HTTP 418: teapot", 418);

        Assert.Equal(("pool-exhausted", 409, 100, "pool 'a' is exhausted"), (usual.Type, usual.Status, usual.CniCode, usual.Detail));
        Assert.Equal(ProblemKinds.PoolExhausted.Title, usual.Title);
        Assert.Equal((418, 102), (relayed.Status, relayed.CniCode));
    }

    /// <summary>The CNI error code table: each code with the problem types its row names.</summary>
    private static Dictionary<int, IReadOnlySet<string>> DocumentedCodes()
    {
        string root = PublishedPrograms.FindRepositoryRoot()
                      ?? throw new InvalidOperationException($"no repository root above {AppContext.BaseDirectory}");
        string[] lines = File.ReadAllLines(Path.Combine(root, "docs", "architecture.md"));
        int heading = Array.IndexOf(lines, "## CNI error codes");
        Assert.True(heading >= 0, "docs/architecture.md has no '## CNI error codes' section");

        var codes = new Dictionary<int, IReadOnlySet<string>>();
        foreach (string line in lines.Skip(heading + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            string[] cells = line.Split('|');
            if (int.TryParse(cells[1].Trim(), out int code))
            {
                codes.Add(code, Backticked().Matches(cells[2]).Select(m => m.Groups[1].Value).ToHashSet());
            }
        }

        Assert.NotEmpty(codes);
        return codes;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();
}
