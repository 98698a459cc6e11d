using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Underpool.Cli.Help;

/// <summary>The standard help, then our sections (System.CommandLine 3 keeps its HelpBuilder internal, so we append after it).</summary>
internal sealed class ExtendedHelpAction(HelpAction standard, HelpSections sections) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        int exitCode = standard.Invoke(parseResult);
        sections.WriteExtras(parseResult.CommandResult.Command, parseResult.InvocationConfiguration.Output);
        return exitCode;
    }
}
