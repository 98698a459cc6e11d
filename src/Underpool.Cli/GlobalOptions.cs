using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Output;
using Underpool.Cli.Parsing;

namespace Underpool.Cli;

/// <summary>The options every command takes: which agent socket to ask and how to print its answer.</summary>
internal sealed class GlobalOptions
{
    public const string SocketVariable = "UNDERPOOL_SOCKET";

    public Option<string> Socket { get; } = new("--socket")
    {
        Description = $"The agent's unix socket (or set {SocketVariable})",
        HelpName = "PATH",
        Recursive = true,
        DefaultValueFactory = _ => DefaultSocket(),
        CustomParser = OptionValueParsers.SocketPath,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        // No DefaultValueFactory: help would print the enum's name; absent means Table, the enum's zero.
        Description = "How to print the answer: 'table' for people (the default), 'json' (the agent's contract, indented) for scripts",
        HelpName = "table|json",
        Recursive = true,
        CustomParser = OptionValueParsers.OutputFormat,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Socket);
        root.Options.Add(Output);
    }

    private static string DefaultSocket()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(SocketVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? ApiRoutes.DefaultSocket : fromEnvironment;
    }
}
