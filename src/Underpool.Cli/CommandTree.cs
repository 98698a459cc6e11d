using System.CommandLine;
using Underpool.Cli.Commands;
using Underpool.Cli.Help;

namespace Underpool.Cli;

/// <summary>Builds the whole underpoolctl command tree; a fresh one per run, so tests in parallel share nothing.</summary>
internal static class CommandTree
{
    public const string Name = "underpoolctl";

    public static RootCommand Build()
    {
        var global = new GlobalOptions();
        var help = new HelpSections();
        var root = new RootCommand("underpoolctl: manage Underpool's underlay address pools, reserved addresses and allocations through this node's agent")
        {
            HelpName = Name,
        };
        global.AddTo(root);
        root.Subcommands.Add(PoolCommands.Build(global, help));
        root.Subcommands.Add(ReservedCommands.Build(global, help));
        root.Subcommands.Add(IpCommands.Build(global, help));
        root.Subcommands.Add(EndpointCommands.Build(global, help));
        root.Subcommands.Add(AppPoolCommands.Build(global, help));
        root.Subcommands.Add(NodeCommands.Build(global, help));
        root.Subcommands.Add(ConflictCommands.Build(global, help));
        root.Subcommands.Add(GcCommands.Build(global, help));
        root.Subcommands.Add(ImportCommands.Build(global, help));
        root.Subcommands.Add(StatusCommand.Build(global));
        help.Install(root);
        return root;
    }
}
