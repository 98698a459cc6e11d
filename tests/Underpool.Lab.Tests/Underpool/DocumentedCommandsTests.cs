using System.Text.RegularExpressions;

namespace Underpool.Lab.Tests;

/// <summary>The README and docs/architecture.md name the commands and flags that exist, and every underpoolctl command
/// that exists is in the README: checked against the published programs' own --help.</summary>
public sealed partial class DocumentedCommandsTests
{
    private static readonly string[] Documents = ["README.md", "docs/architecture.md"];

    [Fact]
    public async Task Every_underpoolctl_command_in_the_docs_exists_and_every_existing_one_is_in_the_readme()
    {
        CommandTree tree = await CommandTreeAsync();
        var leaves = tree.Children.Where(c => c.Value.Count == 0).Select(c => c.Key).ToList();
        string readme = Read("README.md");

        var unknown = new List<string>();
        foreach (string document in Documents)
        {
            foreach (Match use in CtlUse().Matches(Read(document)))
            {
                if (tree.Resolve(use.Groups["words"].Value.Split(' ')) is null)
                {
                    unknown.Add($"{document}: '{use.Value}'");
                }
            }
        }

        var undocumented = leaves.Where(path => !Regex.IsMatch(readme, $@"underpoolctl {Regex.Escape(path)}\b")).ToList();
        Assert.True(leaves.Count >= 20, $"only {leaves.Count} commands found in --help: {string.Join(", ", leaves)}");
        Assert.True(unknown.Count == 0, "documented but not a command:\n" + string.Join("\n", unknown));
        Assert.True(undocumented.Count == 0, "commands the README never shows: " + string.Join(", ", undocumented));
    }

    [Fact]
    public async Task Every_flag_the_readme_gives_underpoold_or_underpoolctl_is_one_their_help_lists()
    {
        ProcessResult agentHelp = await ProcessRunner.RunAsync(UnderpoolBinaries.Agent, ["--help"]);
        Assert.True(agentHelp.Succeeded, agentHelp.Describe());
        var known = FlagName().Matches(agentHelp.StandardOutput).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        foreach (string path in (await CommandTreeAsync()).Children.Keys.Where(p => p.Length > 0))
        {
            known.UnionWith(FlagName().Matches(await HelpAsync(path)).Select(m => m.Value));
        }

        // Lines that run another program (podman's --name and --ip, the benchmarks' --quick, helm's --set, kubectl's -f)
        // name that program's flags; a shell line continued with a backslash is one command.
        string[] others = ["podman ", "bench/", "helm ", "kubectl "];
        IEnumerable<string> ours = Read("README.md").Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Where(l => !others.Any(o => l.Contains(o, StringComparison.Ordinal)));
        var unknown = ours.SelectMany(l => FlagName().Matches(l).Select(m => m.Value)).Distinct()
            .Where(flag => !known.Contains(flag)).ToList();

        Assert.True(unknown.Count == 0, "README flags no --help lists: " + string.Join(", ", unknown));
    }

    /// <summary>Every command path ("pool create"), walked through --help, with its subcommands' paths (none for a
    /// leaf) and aliases.</summary>
    private static async Task<CommandTree> CommandTreeAsync()
    {
        var tree = new CommandTree();
        var pending = new Queue<string>([string.Empty]);
        while (pending.TryDequeue(out string? path))
        {
            var children = new List<string>();
            foreach ((string name, string[] aliases) in Subcommands(await HelpAsync(path.Length == 0 ? null : path)))
            {
                string child = path.Length == 0 ? name : $"{path} {name}";
                children.Add(child);
                tree.Aliases[child] = aliases;
                pending.Enqueue(child);
            }

            tree.Children[path] = children;
        }

        return tree;
    }

    private static async Task<string> HelpAsync(string? path)
    {
        string[] args = path is null ? ["--help"] : [.. path.Split(' '), "--help"];
        ProcessResult help = await ProcessRunner.RunAsync(UnderpoolBinaries.Ctl, args);
        Assert.True(help.Succeeded, help.Describe());
        return help.StandardOutput;
    }

    /// <summary>The "Commands:" section of a --help text: each name with its aliases ("list, ls" lists both).</summary>
    private static IEnumerable<(string Name, string[] Aliases)> Subcommands(string help)
    {
        bool inside = false;
        foreach (string line in help.Split('\n'))
        {
            if (line.TrimEnd() == "Commands:")
            {
                inside = true;
                continue;
            }

            if (inside && CommandLine().Match(line) is { Success: true } entry)
            {
                string[] names = entry.Groups["names"].Value.Split(", ");
                yield return (names[0], names[1..]);
            }
            else if (inside)
            {
                yield break;
            }
        }
    }

    private static string Read(string document) => File.ReadAllText(Path.Combine(UnderpoolBinaries.RepositoryRoot(), document));

    [GeneratedRegex(@"underpoolctl (?<words>[a-z][a-z-]*(?: [a-z][a-z0-9.-]*)*)")]
    private static partial Regex CtlUse();

    [GeneratedRegex(@"^  (?<names>[a-z][a-z-]*(?:, [a-z][a-z-]*)*)(?: <[^>]+>)*\s{2,}\S")]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z-]*[a-z]")]
    private static partial Regex FlagName();

    private sealed class CommandTree
    {
        /// <summary>Subcommand paths by path; the root is "".</summary>
        public Dictionary<string, List<string>> Children { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string[]> Aliases { get; } = new(StringComparer.Ordinal);

        /// <summary>The command the words start with (aliases allowed; an argument may follow a command), or null when
        /// they name a group without its subcommand or no command at all.</summary>
        public string? Resolve(string[] words)
        {
            string path = string.Empty;
            foreach (string word in words)
            {
                string? next = Children[path].FirstOrDefault(c => c.EndsWith($" {word}", StringComparison.Ordinal) || c == word || Aliases[c].Contains(word));
                if (next is null)
                {
                    break;
                }

                path = next;
            }

            return path.Length > 0 && Children[path].Count == 0 ? path : null;
        }
    }
}
