using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Cli.Tests;

public sealed class GcCommandTests
{
    private static readonly ApiJsonContext Json = ApiJsonContext.Default;

    private static readonly AllocationView Leaked = new()
    {
        Pool = "lab",
        Address = "10.20.0.14",
        Network = "dc",
        ContainerId = "0123456789abcdef0123",
        IfName = "eth0",
        Node = "n1",
        NetNs = "/var/run/netns/gone",
        PodNamespace = "shop",
        PodName = "web-1",
        CreatedAt = DateTimeOffset.Parse("2025-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static GcFinding Finding(AllocationView a) =>
        new() { Allocation = a, Reason = "netns-gone", Detail = $"network namespace {a.NetNs} no longer exists" };

    [Fact]
    public async Task Gc_run_dry_run_posts_a_dry_run_and_prints_what_would_be_released_and_why()
    {
        var report = new GcRunResponse { Node = "n1", DryRun = true, WouldRelease = [Finding(Leaked)], UnknownLiveness = 2, InGrace = 1 };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(report, Json.GcRunResponse));

        CliRun run = await CliRun.RunAsync("gc", "run", "--dry-run", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        RecordedRequest request = agent.Requests.Single();
        Assert.Equal(("POST", "/v1/gc/run", """{"dryRun":true}"""), (request.Method, request.Target, request.Body));
        Assert.Matches(@"^ACTION\s+ADDRESS\s+POOL\s+NETWORK\s+CONTAINER\s+IF\s+POD\s+WHY$", run.OutLines[0]);
        Assert.Matches(@"^would release\s+10\.20\.0\.14\s+lab\s+dc\s+0123456789ab\s+eth0\s+shop/web-1\s+network namespace /var/run/netns/gone no longer exists$", run.OutLines[1]);
        Assert.Equal(
            "node n1: would release 1 address(es), would mark not running 0 static; left alone: 1 in grace (ADD may be in flight), 2 without a netns path (unknown liveness)",
            run.OutLines[2]);
    }

    [Fact]
    public async Task Gc_run_with_json_output_prints_the_agents_report()
    {
        var report = new GcRunResponse { Node = "n1", Released = [Finding(Leaked)] };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(report, Json.GcRunResponse));

        CliRun run = await CliRun.RunAsync("gc", "run", "-o", "json", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("""{"dryRun":false}""", agent.Requests.Single().Body);
        GcRunResponse? printed = System.Text.Json.JsonSerializer.Deserialize(run.Out, Json.GcRunResponse);
        Assert.Equal("10.20.0.14", Assert.Single(printed!.Released).Allocation.Address);
    }

    [Fact]
    public async Task Ip_list_leaked_is_a_dry_run_listing_the_addresses_a_sweep_would_release()
    {
        var report = new GcRunResponse { Node = "n1", DryRun = true, WouldRelease = [Finding(Leaked)] };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(report, Json.GcRunResponse));

        CliRun run = await CliRun.RunAsync("ip", "list", "--leaked", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("""{"dryRun":true}""", agent.Requests.Single().Body);
        Assert.Matches(@"^ADDRESS\s+POOL\s+NODE\s+NETWORK\s+CONTAINER\s+IF\s+POD\s+WHY$", run.OutLines[0]);
        Assert.Matches(@"^10\.20\.0\.14\s+lab\s+n1\s+dc\s+0123456789ab\s+eth0\s+shop/web-1\s+network namespace", run.OutLines[1]);
    }

    [Fact]
    public async Task Ip_list_leaked_with_a_filter_is_a_usage_error()
    {
        await using var agent = ScriptedServer.Answering(200, "{}");

        CliRun run = await CliRun.RunAsync("ip", "list", "--leaked", "--pool", "lab", "--socket", agent.SocketPath);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--leaked lists this node's leaked addresses and takes no --pool", run.Error, StringComparison.Ordinal);
        Assert.Empty(agent.Requests);
    }

    [Fact]
    public async Task Node_forget_posts_to_the_node_and_prints_what_was_released()
    {
        var forgotten = new NodeForgetResponse { Node = "n7", Released = [Leaked], KeptStatic = 1 };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(forgotten, Json.NodeForgetResponse));

        CliRun run = await CliRun.RunAsync("node", "forget", "n7", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(("POST", "/v1/nodes/n7/forget"), (agent.Requests.Single().Method, agent.Requests.Single().Target));
        Assert.Matches(@"^10\.20\.0\.14\s+lab\s+n1\s+dc\s+0123456789ab", run.OutLines[1]);
        Assert.Equal("node n7: released 1 address(es); kept 1 of static endpoints", run.OutLines[^1]);
    }
}
