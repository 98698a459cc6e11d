using System.Text.RegularExpressions;

namespace Underpool.Deploy.Tests.Support;

/// <summary>The flags the real agent documents in <c>underpoold --help</c>, each with whether it takes a value.</summary>
internal static partial class AgentHelp
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, bool>>> Parsed = new(ParseAsync);

    /// <summary>Flag name → takes a value ("--node NAME") or not ("--help").</summary>
    public static Task<IReadOnlyDictionary<string, bool>> FlagsAsync() => Parsed.Value;

    /// <summary>Lines such as "  --node NAME             text", "  -h, --help              text" or
    /// "  --node-dead-after SECONDS  text": an indented flag, maybe one argument word, then two spaces or the end.</summary>
    [GeneratedRegex(@"^\s+(?:-\w, )?(?<flag>--[a-z0-9][a-z0-9-]*)(?<arg> \S+)?(?:\s{2,}|$)", RegexOptions.Multiline)]
    private static partial Regex FlagLine();

    private static async Task<IReadOnlyDictionary<string, bool>> ParseAsync()
    {
        Ran help = (await Run.ProgramAsync(Repository.Program("underpoold"), ["--help"])).EnsureSuccess();
        var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (Match line in FlagLine().Matches(help.Output))
        {
            flags[line.Groups["flag"].Value] = line.Groups["arg"].Success;
        }

        return flags.Count > 10 ? flags : throw new InvalidDataException($"underpoold --help lists only {flags.Count} flags:\n{help.Output}");
    }
}
