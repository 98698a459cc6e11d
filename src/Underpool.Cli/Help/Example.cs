namespace Underpool.Cli.Help;

/// <summary>One example in a command's help: what it does, then the command line.</summary>
internal sealed record Example(string Description, string CommandLine);
