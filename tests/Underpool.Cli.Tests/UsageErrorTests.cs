namespace Underpool.Cli.Tests;

public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("--subnet", "pool", "create", "p")]
    [InlineData("--vlan", "pool", "create", "p", "--subnet", "10.0.0.0/24", "--vlan", "abc")]
    [InlineData("no destination", "pool", "create", "p", "--subnet", "10.0.0.0/24", "--route", ",10.0.0.1")]
    [InlineData("empty gateway", "pool", "create", "p", "--subnet", "10.0.0.0/24", "--route", "10.9.0.0/16,")]
    [InlineData("more than two parts", "pool", "create", "p", "--subnet", "10.0.0.0/24", "--route", "a,b,c")]
    [InlineData("empty item", "pool", "create", "p", "--subnet", "10.0.0.0/24", "--ranges", "10.0.0.5,,10.0.0.6")]
    [InlineData("'yaml'", "pool", "list", "-o", "yaml")]
    [InlineData("NAME", "pool", "show")]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("Required command", "pool")]
    [InlineData("IP", "reserved", "add")]
    [InlineData("give an endpoint NAME or --owner KIND/NAME", "endpoint", "release")]
    [InlineData("--size", "app-pool", "create", "web-set", "--subnet", "v4", "--app", "shop/web")]
    [InlineData("--app", "app-pool", "reclaim")]
    [InlineData("give an endpoint NAME or --owner KIND/NAME", "endpoint", "release", "shop/web-0", "--owner", "StatefulSet/web")]
    [InlineData("must be KIND/NAME", "endpoint", "release", "--owner", "web")]
    [InlineData("--namespace and --replicas go with --owner", "endpoint", "release", "shop/web-0", "--replicas", "2")]
    public async Task A_usage_error_exits_2_with_one_line_naming_the_problem(string expected, params string[] args)
    {
        CliRun run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("underpoolctl: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains("--help", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_vlan_quotes_the_value_given()
    {
        CliRun run = await CliRun.RunAsync("pool", "create", "p", "--subnet", "10.0.0.0/24", "--vlan", "ten");

        Assert.Contains("--vlan takes the VLAN ID as a whole number", run.Error, StringComparison.Ordinal);
        Assert.Contains("'ten'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_usage_line_points_at_the_help_of_the_command_that_failed()
    {
        CliRun run = await CliRun.RunAsync("pool", "create", "p");

        Assert.EndsWith("(see 'underpoolctl pool create --help')", run.ErrorLines[0], StringComparison.Ordinal);
    }
}
