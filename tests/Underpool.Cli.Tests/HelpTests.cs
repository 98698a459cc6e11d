using System.CommandLine;

namespace Underpool.Cli.Tests;

public sealed class HelpTests
{
    [Fact]
    public async Task Pool_create_help_shows_the_ipv4_ipv6_and_rack_pinned_examples()
    {
        CliRun run = await CliRun.RunAsync("pool", "create", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.Out, StringComparison.Ordinal);
        Assert.Contains("--ranges 10.20.0.10-10.20.0.200,10.20.0.250 --gateway 10.20.0.1 --route 0.0.0.0/0,10.20.0.1", run.Out, StringComparison.Ordinal);
        Assert.Contains("--subnet 2001:db8:20::/64", run.Out, StringComparison.Ordinal);
        Assert.Contains("--node-selector 'rack in (r1,r2)'", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_create_help_describes_every_option()
    {
        CliRun run = await CliRun.RunAsync("pool", "create", "--help");

        foreach (string option in new[] { "--subnet", "--ranges", "--exclude", "--gateway", "--route", "--vlan", "--nodes", "--node-selector", "--default", "--disabled", "--socket", "--output" })
        {
            Assert.Contains(option, run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pool_create_help_says_names_and_selector_narrow_each_other_and_how_to_enable_a_disabled_pool()
    {
        CliRun run = await CliRun.RunAsync("pool", "create", "--help");

        Assert.Contains("(with --node-selector: only those of them whose labels match)", run.Out, StringComparison.Ordinal);
        Assert.Contains("(with --nodes: only the named nodes that match)", run.Out, StringComparison.Ordinal);
        Assert.Contains("until 'underpoolctl pool update NAME --enable'", run.Out, StringComparison.Ordinal);
        Assert.Contains("Split one subnet between two racks", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_help_lists_the_commands_and_the_exit_codes()
    {
        CliRun run = await CliRun.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("underpoolctl [command] [options]", run.Out, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", run.Out, StringComparison.Ordinal);
        Assert.Contains("3  the agent is unreachable", run.Out, StringComparison.Ordinal);
        Assert.Contains("UNDERPOOL_SOCKET", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_wins_over_a_missing_required_option()
    {
        CliRun run = await CliRun.RunAsync("pool", "create", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Every_command_option_and_argument_has_a_description()
    {
        RootCommand root = CommandTree.Build();
        var missing = new List<string>();
        Walk(root, root.Name);
        Assert.Empty(missing);

        void Walk(Command command, string path)
        {
            if (string.IsNullOrWhiteSpace(command.Description))
            {
                missing.Add(path);
            }

            missing.AddRange(command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => $"{path} {o.Name}"));
            missing.AddRange(command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)).Select(a => $"{path} <{a.Name}>"));
            foreach (Command sub in command.Subcommands)
            {
                Walk(sub, $"{path} {sub.Name}");
            }
        }
    }
}
