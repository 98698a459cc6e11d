using System.CommandLine;
using System.CommandLine.Help;

namespace Underpool.Cli.Help;

/// <summary>Adds the sections System.CommandLine has no slot for: per-command examples, and the root's exit codes and environment.</summary>
internal sealed class HelpSections
{
    private readonly Dictionary<Command, IReadOnlyList<Example>> _examples = [];

    public static IReadOnlyList<(string Code, string Meaning)> ExitCodeTable { get; } =
    [
        ("0", "success"),
        ("1", "the agent refused the request (its reason is printed: fix the request)"),
        ("2", "usage error: a bad or missing argument or option"),
        ("3", "the agent is unreachable on the socket (not running, or a wrong --socket)"),
        ("4", "the agent failed (5xx) or an unexpected error; UNDERPOOL_DEBUG=1 prints the stack trace"),
    ];

    public void AddExamples(Command command, IReadOnlyList<Example> examples) => _examples[command] = examples;

    /// <summary>Makes every --help write System.CommandLine's sections and then ours.</summary>
    public void Install(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (HelpOption option in root.Options.OfType<HelpOption>())
        {
            if (option.Action is HelpAction standard)
            {
                option.Action = new ExtendedHelpAction(standard, this);
            }
        }
    }

    /// <summary>Writes the extra sections for <paramref name="command"/>, if it has any.</summary>
    public void WriteExtras(Command command, TextWriter output)
    {
        WriteExamples(command, output);
        WriteRootNotes(command, output);
    }

    private void WriteExamples(Command command, TextWriter output)
    {
        if (!_examples.TryGetValue(command, out IReadOnlyList<Example>? examples) || examples.Count == 0)
        {
            return;
        }

        output.WriteLine("Examples:");
        for (int i = 0; i < examples.Count; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }

            output.WriteLine($"  # {examples[i].Description}");
            output.WriteLine($"  {examples[i].CommandLine}");
        }

        output.WriteLine();
    }

    private static void WriteRootNotes(Command command, TextWriter output)
    {
        if (command is not RootCommand)
        {
            return;
        }

        output.WriteLine("Exit codes:");
        foreach ((string code, string meaning) in ExitCodeTable)
        {
            output.WriteLine($"  {code}  {meaning}");
        }

        output.WriteLine();
        output.WriteLine("Errors are one line on stderr: 'underpoolctl: <what happened and what to do>'.");
        output.WriteLine();
        output.WriteLine("Environment:");
        output.WriteLine($"  {GlobalOptions.SocketVariable}  the agent socket when --socket is not given (default {Api.Contracts.ApiRoutes.DefaultSocket})");
        output.WriteLine("  UNDERPOOL_DEBUG=1  print stack traces of unexpected errors");
        output.WriteLine();
    }
}
