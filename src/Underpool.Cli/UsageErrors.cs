using System.CommandLine;
using System.CommandLine.Parsing;

namespace Underpool.Cli;

/// <summary>Turns System.CommandLine's parse errors into one line naming the help to read.</summary>
internal static class UsageErrors
{
    public static string Describe(ParseResult parse)
    {
        string errors = parse.Errors.Count == 0
            ? "invalid command line"
            : string.Join("; ", parse.Errors.Select(e => OneLine.Of(e.Message).TrimEnd('.')).Distinct());
        return $"underpoolctl: {errors} (see '{CommandPath(parse.CommandResult)} --help')";
    }

    // The root's own name is the executable's (testhost under tests), so the path is always spelled from "underpoolctl".
    private static string CommandPath(CommandResult command)
    {
        var names = new Stack<string>();
        for (CommandResult? current = command; current?.Parent is CommandResult parent; current = parent)
        {
            names.Push(current.Command.Name);
        }

        return names.Count == 0 ? CommandTree.Name : $"{CommandTree.Name} {string.Join(' ', names)}";
    }
}
