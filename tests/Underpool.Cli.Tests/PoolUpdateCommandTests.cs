using System.CommandLine;
using System.Text.Json;
using Underpool.Api.Contracts;
using Underpool.Cli.Commands;
using Underpool.Testing;

namespace Underpool.Cli.Tests;

public sealed class PoolUpdateCommandTests
{
    private static readonly ApiJsonContext Json = ApiJsonContext.Default;

    private static PoolUpdate Map(params string[] args)
    {
        var update = new PoolUpdateCommand(new GlobalOptions());
        ParseResult parse = update.Command.Parse(args);
        Assert.Empty(parse.Errors);
        return update.ToUpdate(parse);
    }

    [Fact]
    public void Options_not_given_stay_absent_so_they_change_nothing()
    {
        PoolUpdate change = Map("rack1", "--disable");

        Assert.True(change.Disabled);
        Assert.Empty(change.AddRanges);
        Assert.Empty(change.AddExclude);
        Assert.Empty(change.RemoveExclude);
        Assert.Null(change.Nodes);
        Assert.Null(change.NodeSelector);
        Assert.Null(change.Gateway);
        Assert.Null(change.Routes);
    }

    [Fact]
    public void Every_option_maps_onto_its_field()
    {
        PoolUpdate change = Map(
            "rack1", "--add-ranges", "10.0.0.50-10.0.0.60,10.0.0.70", "--add-exclude", "10.0.0.5", "--remove-exclude", "10.0.0.6,10.0.0.7",
            "--gateway", "10.0.0.254", "--route", "0.0.0.0/0,10.0.0.254", "--nodes", "n1,n2", "--node-selector", "rack=r1", "--enable");

        Assert.Equal(["10.0.0.50-10.0.0.60", "10.0.0.70"], change.AddRanges);
        Assert.Equal(["10.0.0.5"], change.AddExclude);
        Assert.Equal(["10.0.0.6", "10.0.0.7"], change.RemoveExclude);
        Assert.Equal("10.0.0.254", change.Gateway);
        Assert.Equal(("0.0.0.0/0", "10.0.0.254"), (Assert.Single(change.Routes!).Dst, change.Routes![0].Gw));
        Assert.Equal(["n1", "n2"], change.Nodes);
        Assert.Equal("rack=r1", change.NodeSelector);
        Assert.False(change.Disabled);
    }

    [Fact]
    public void The_no_options_clear_their_field()
    {
        PoolUpdate change = Map("rack1", "--no-gateway", "--no-routes", "--no-nodes", "--no-node-selector");

        Assert.Equal(string.Empty, change.Gateway);
        Assert.Empty(change.Routes!);
        Assert.Empty(change.Nodes!);
        Assert.Equal(string.Empty, change.NodeSelector);
        Assert.Null(change.Disabled);
    }

    [Fact]
    public async Task Pool_update_posts_the_change_to_the_pools_update_route_and_prints_the_pool()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(Samples.RackPool, Json.PoolView));

        CliRun run = await CliRun.RunAsync("pool", "update", "rack1-v4", "--add-exclude", "10.20.0.77", "--disable", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        RecordedRequest request = agent.Requests.Single();
        Assert.Equal(("POST", "/v1/pools/rack1-v4/update"), (request.Method, request.Target));
        PoolUpdate? sent = JsonSerializer.Deserialize(request.Body, Json.PoolUpdate);
        Assert.Equal(["10.20.0.77"], sent!.AddExclude);
        Assert.True(sent.Disabled);
        Assert.Null(sent.Gateway);
        Assert.Contains(run.OutLines, l => l.StartsWith("name:", StringComparison.Ordinal) && l.EndsWith("rack1-v4", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--gateway 10.0.0.1 --no-gateway", "--gateway and --no-gateway contradict each other")]
    [InlineData("--nodes n1 --no-nodes", "--nodes and --no-nodes contradict each other")]
    [InlineData("--disable --enable", "--disable and --enable contradict each other")]
    public async Task Contradicting_options_are_a_usage_error_and_send_nothing(string options, string expected)
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(Samples.RackPool, Json.PoolView));

        CliRun run = await CliRun.RunAsync(["pool", "update", "p", .. options.Split(' '), "--socket", agent.SocketPath]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Empty(agent.Requests);
    }

    [Fact]
    public async Task A_refusal_naming_the_holders_is_one_line_and_exit_1()
    {
        await using var agent = ScriptedServer.Answering(409, Samples.Problem(
            "address-in-use", 409, "pool 'p' cannot stop handing out 10.0.0.5: it is allocated (10.0.0.5 to net1/c1/eth0 on node n1)"));

        CliRun run = await CliRun.RunAsync("pool", "update", "p", "--add-exclude", "10.0.0.5", "--socket", agent.SocketPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            "underpoolctl: pool 'p' cannot stop handing out 10.0.0.5: it is allocated (10.0.0.5 to net1/c1/eth0 on node n1)",
            Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Pool_update_help_teaches_with_examples_and_says_what_is_refused()
    {
        CliRun run = await CliRun.RunAsync("pool", "update", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.Out, StringComparison.Ordinal);
        Assert.Contains("underpoolctl pool update rack1-v4 --disable", run.Out, StringComparison.Ordinal);
        Assert.Contains("--add-ranges 10.20.0.201-10.20.0.240 --add-exclude 10.20.0.77", run.Out, StringComparison.Ordinal);
        Assert.Contains("refused while one is allocated (the holders are named)", run.Out, StringComparison.Ordinal);
        Assert.Contains("with a node selector: only those of them whose labels match", run.Out, StringComparison.Ordinal);
    }
}
