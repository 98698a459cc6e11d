using System.Text.Json;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Cli.Tests;

public sealed class AgentAnswerTests
{
    private static readonly ApiJsonContext Json = ApiJsonContext.Default;

    [Fact]
    public async Task Pool_list_prints_an_aligned_table_with_usage_and_who_may_use_each_pool()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json<IReadOnlyList<PoolView>>([Samples.RackPool, Samples.V6Pool], Json.IReadOnlyListPoolView));

        CliRun run = await CliRun.RunAsync("pool", "list", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        string[] lines = run.OutLines;
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^NAME\s+FAMILY\s+SUBNET\s+GATEWAY\s+VLAN\s+DEFAULT\s+ALLOCATED\s+CAPACITY\s+USED%\s+NODES$", lines[0]);
        Assert.Matches(@"^rack1-v4\s+ipv4\s+10\.20\.0\.0/24\s+10\.20\.0\.1\s+120\s+yes\s+3\s+189\s+1\.6%\s+rack in \(r1,r2\)$", lines[1]);
        Assert.Matches(@"^v6\s+ipv6\s+2001:db8:20::/64\s+-\s+-\s+no\s+0\s+18446744073709551614\s+0\.0%\s+n1,n2$", lines[2]);
        int subnet = lines[0].IndexOf("SUBNET", StringComparison.Ordinal);
        Assert.Equal(subnet, lines[1].IndexOf("10.20.0.0/24", StringComparison.Ordinal));
        Assert.Equal(subnet, lines[2].IndexOf("2001:db8:20::/64", StringComparison.Ordinal));
        Assert.Equal(("GET", "/v1/pools"), (agent.Requests.Single().Method, agent.Requests.Single().Target));
    }

    [Fact]
    public async Task Pool_list_adds_a_warning_column_for_a_pool_that_breaks_a_rule_and_json_a_problems_field()
    {
        PoolView mapped = new()
        {
            Pool = new PoolDefinition { Name = "mapped", Subnet = "::ffff:10.124.0.0/120" },
            Family = "ipv6",
            Usage = new PoolUsage { Allocated = 1, Capacity = "255", PercentUsed = 0.39 },
            Problems = ["pool 'mapped': subnet ::ffff:10.124.0.0/120 is inside ::ffff:0:0/96, IPv4-mapped IPv6"],
        };
        await using var agent = ScriptedServer.Answering(200, Samples.Json<IReadOnlyList<PoolView>>([Samples.RackPool, mapped], Json.IReadOnlyListPoolView));

        CliRun table = await CliRun.RunAsync("pool", "list", "--socket", agent.SocketPath);
        CliRun json = await CliRun.RunAsync("pool", "list", "-o", "json", "--socket", agent.SocketPath);

        Assert.Matches(@"\sNODES\s+WARNING$", table.OutLines[0]);
        Assert.Matches(@"\srack in \(r1,r2\)\s+-$", table.OutLines[1]);
        Assert.EndsWith(
            "breaks a pool rule, hands out nothing new: pool 'mapped': subnet ::ffff:10.124.0.0/120 is inside ::ffff:0:0/96, IPv4-mapped IPv6",
            table.OutLines[2],
            StringComparison.Ordinal);
        Assert.Contains("\"problems\": [", json.Out, StringComparison.Ordinal);
        Assert.Contains("IPv4-mapped IPv6", json.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_round_trips_through_the_api_contract()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json<IReadOnlyList<PoolView>>([Samples.RackPool, Samples.V6Pool], Json.IReadOnlyListPoolView));

        CliRun run = await CliRun.RunAsync("pool", "list", "-o", "json", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        IReadOnlyList<PoolView>? pools = JsonSerializer.Deserialize(run.Out, Json.IReadOnlyListPoolView);
        Assert.NotNull(pools);
        Assert.Equal(
            Samples.Json<IReadOnlyList<PoolView>>([Samples.RackPool, Samples.V6Pool], Json.IReadOnlyListPoolView),
            Samples.Json(pools, Json.IReadOnlyListPoolView));
        Assert.Contains("\n  {", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\"percentUsed\"", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_create_posts_the_definition_and_prints_the_pool_like_show()
    {
        await using var agent = ScriptedServer.Answering(201, Samples.Json(Samples.RackPool, Json.PoolView));

        CliRun run = await CliRun.RunAsync(
            "pool", "create", "rack1-v4", "--subnet", "10.20.0.0/24", "--ranges", "10.20.0.10-10.20.0.200", "--exclude", "10.20.0.99",
            "--gateway", "10.20.0.1", "--route", "0.0.0.0/0,10.20.0.1", "--route", "10.9.0.0/16", "--vlan", "120",
            "--node-selector", "rack in (r1,r2)", "--default", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        RecordedRequest request = agent.Requests.Single();
        Assert.Equal(("POST", "/v1/pools"), (request.Method, request.Target));
        Assert.Equal(Samples.Json(Samples.RackPool.Pool, Json.PoolDefinition), request.Body);
        Assert.Contains(run.OutLines, l => l.StartsWith("name:", StringComparison.Ordinal) && l.EndsWith("rack1-v4", StringComparison.Ordinal));
        Assert.Contains(run.OutLines, l => l.StartsWith("routes:", StringComparison.Ordinal) && l.EndsWith("0.0.0.0/0 via 10.20.0.1, 10.9.0.0/16", StringComparison.Ordinal));
        Assert.Contains(run.OutLines, l => l.StartsWith("used:", StringComparison.Ordinal) && l.EndsWith("1.6%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pool_show_aligns_every_value_in_one_column()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(Samples.RackPool, Json.PoolView));

        CliRun run = await CliRun.RunAsync("pool", "show", "rack1-v4", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("/v1/pools/rack1-v4", agent.Requests.Single().Target);
        int column = run.OutLines[0].IndexOf("rack1-v4", StringComparison.Ordinal);
        Assert.All(run.OutLines, l => Assert.NotEqual(' ', l[column]));
        Assert.All(run.OutLines, l => Assert.Equal(' ', l[column - 1]));
        Assert.Contains("node-selector:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_exits_1_with_the_agents_detail_on_one_line()
    {
        await using var agent = ScriptedServer.Answering(400, Samples.Problem("invalid-request", 400, "subnet 'x' is not a CIDR\nuse a.b.c.d/n"));

        CliRun run = await CliRun.RunAsync("pool", "create", "p", "--subnet", "x", "--socket", agent.SocketPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Equal("underpoolctl: subnet 'x' is not a CIDR use a.b.c.d/n", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Deleting_a_pool_in_use_adds_the_force_hint_when_the_agent_did_not()
    {
        await using var agent = ScriptedServer.Answering(409, Samples.Problem("pool-in-use", 409, "pool 'p' still has 3 allocated address(es)."));

        CliRun run = await CliRun.RunAsync("pool", "delete", "p", "--socket", agent.SocketPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("underpoolctl: pool 'p' still has 3 allocated address(es); use --force to release them", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Deleting_a_pool_in_use_does_not_repeat_a_force_hint_the_agent_gave()
    {
        const string detail = "pool 'p' still has 3 allocated address(es); release them first, or delete with --force to release them";
        await using var agent = ScriptedServer.Answering(409, Samples.Problem("pool-in-use", 409, detail));

        CliRun run = await CliRun.RunAsync("pool", "delete", "p", "--socket", agent.SocketPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"underpoolctl: {detail}", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task A_forced_delete_says_how_many_addresses_it_released()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(new PoolDeleteResponse { Name = "p", Released = 3 }, Json.PoolDeleteResponse));

        CliRun run = await CliRun.RunAsync("pool", "delete", "p", "--force", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(("DELETE", "/v1/pools/p?force=true"), (agent.Requests.Single().Method, agent.Requests.Single().Target));
        Assert.Equal("deleted pool p (released 3 addresses)", Assert.Single(run.OutLines));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task An_agent_failure_exits_4(int status)
    {
        await using var agent = ScriptedServer.Answering(status, Samples.Problem("store-unavailable", status, "the store is down"));

        CliRun run = await CliRun.RunAsync("status", "--socket", agent.SocketPath);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("underpoolctl: the store is down", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task An_answer_that_is_not_the_contract_exits_4_without_a_stack_trace()
    {
        await using var agent = ScriptedServer.Answering(200, "<html>not json</html>");

        CliRun run = await CliRun.RunAsync("pool", "list", "--socket", agent.SocketPath);

        Assert.Equal(4, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("underpoolctl: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reserving_prints_what_changed_and_warns_on_stderr()
    {
        var answer = new ReservedChangeResponse { Changed = ["10.20.0.7"], Warnings = ["10.20.0.7 is allocated to shop/db-0 right now"] };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(answer, Json.ReservedChangeResponse));

        CliRun run = await CliRun.RunAsync("reserved", "add", "10.20.0.7", "10.20.0.8", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("""{"addresses":["10.20.0.7","10.20.0.8"]}""", agent.Requests.Single().Body);
        Assert.Equal("reserved 10.20.0.7", Assert.Single(run.OutLines));
        Assert.Equal("underpoolctl: warning: 10.20.0.7 is allocated to shop/db-0 right now", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Unreserving_posts_to_the_remove_route()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(new ReservedChangeResponse { Changed = [] }, Json.ReservedChangeResponse));

        CliRun run = await CliRun.RunAsync("reserved", "remove", "10.20.0.7", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("/v1/reserved/remove", agent.Requests.Single().Target);
        Assert.Contains("nothing changed", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ip_list_shortens_the_container_and_shows_the_pod_and_filters()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json<IReadOnlyList<AllocationView>>([Samples.PodAllocation], Json.IReadOnlyListAllocationView));

        CliRun run = await CliRun.RunAsync("ip", "list", "--pool", "rack1-v4", "--node", "worker-3", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("/v1/allocations?pool=rack1-v4&node=worker-3", agent.Requests.Single().Target);
        Assert.Matches(@"^ADDRESS\s+POOL\s+NODE\s+NETWORK\s+CONTAINER\s+IF\s+POD\s+CREATED$", run.OutLines[0]);
        Assert.Matches(@"^10\.20\.0\.10\s+rack1-v4\s+worker-3\s+underlay\s+0123456789ab\s+net1\s+shop/db-0\s+2025-03-04T03:06:07Z$", run.OutLines[1]);
    }

    [Fact]
    public async Task Status_of_an_agent_that_is_not_ready_prints_why_and_exits_4()
    {
        var status = new AgentStatus { Ready = false, Node = "worker-3", Store = "embedded", Version = "0.1.0", Reason = "store catching up" };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(status, Json.AgentStatus));

        CliRun run = await CliRun.RunAsync("status", "--socket", agent.SocketPath);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal(["node:      worker-3", "store:     embedded", "ready:     no", "version:   0.1.0", "reason:    store catching up"], run.OutLines);
    }

    [Fact]
    public async Task The_output_option_works_before_the_command_too()
    {
        var status = new AgentStatus { Ready = true, Node = "n1", Store = "embedded", Version = "0.1.0" };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(status, Json.AgentStatus));

        CliRun run = await CliRun.RunAsync("-o", "json", "--socket", agent.SocketPath, "status");

        Assert.Equal(0, run.ExitCode);
        AgentStatus? parsed = JsonSerializer.Deserialize(run.Out, Json.AgentStatus);
        Assert.Equal("n1", parsed?.Node);
    }

    [Fact]
    public async Task Node_list_prints_liveness_counts_and_labels_per_node()
    {
        var nodes = new NodeList
        {
            Nodes =
            [
                new NodeView { Name = "node1", Alive = true, Allocations = 12, LastSeen = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), Labels = new Dictionary<string, string> { ["zone"] = "a", ["rack"] = "r1" } },
                new NodeView { Name = "node2", Alive = false, Allocations = 3 },
            ],
        };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(nodes, Json.NodeList));

        CliRun run = await CliRun.RunAsync("node", "list", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^NODE\s+STATUS\s+ALLOCATIONS\s+LAST SEEN\s+LABELS$", run.OutLines[0]);
        Assert.Matches(@"^node1\s+alive\s+12\s+2026-11-24T10:00:00Z\s+rack=r1,zone=a$", run.OutLines[1]);
        Assert.Matches(@"^node2\s+dead\s+3\s+-\s+-$", run.OutLines[2]);
        Assert.Equal(("GET", "/v1/nodes"), (agent.Requests.Single().Method, agent.Requests.Single().Target));
    }

    [Fact]
    public async Task Endpoint_list_shows_static_and_stopped_endpoints_with_their_addresses_per_interface()
    {
        var list = new EndpointList
        {
            Endpoints =
            [
                new EndpointView
                {
                    Name = "shop/web-0", Static = true, Running = false, Node = "node1", OwnerKind = "StatefulSet", OwnerName = "web",
                    Interfaces = [new EndpointInterface { Network = "underlay", IfName = "eth0", Addresses = [new EndpointAddress { Pool = "v4", Address = "172.20.1.10" }, new EndpointAddress { Pool = "v6", Address = "fd00::10" }] }],
                },
            ],
        };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(list, Json.EndpointList));

        CliRun run = await CliRun.RunAsync("endpoint", "list", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^ENDPOINT\s+STATIC\s+STATUS\s+NODE\s+CONTAINER\s+OWNER\s+ADDRESSES$", run.OutLines[0]);
        Assert.Matches(@"^shop/web-0\s+yes\s+stopped\s+node1\s+-\s+StatefulSet/web\s+eth0:172\.20\.1\.10,eth0:fd00::10$", run.OutLines[1]);
    }

    [Fact]
    public async Task Endpoint_release_by_owner_posts_the_owner_namespace_and_replicas()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(new EndpointReleaseResponse(), Json.EndpointReleaseResponse));

        CliRun run = await CliRun.RunAsync("endpoint", "release", "--owner", "StatefulSet/web", "-n", "shop", "--replicas", "2", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("nothing to release: no endpoint matched", run.OutLines[0]);
        RecordedRequest request = agent.Requests.Single();
        Assert.Equal(("POST", "/v1/endpoints/release"), (request.Method, request.Target));
        EndpointReleaseRequest? sent = JsonSerializer.Deserialize(request.Body, Json.EndpointReleaseRequest);
        Assert.Equal(("StatefulSet", "web", "shop", 2), (sent!.OwnerKind, sent.OwnerName, sent.Namespace, sent.Replicas));
        Assert.Null(sent.Name);
    }

    [Fact]
    public async Task App_pool_create_posts_the_request_and_prints_the_pool_with_its_application()
    {
        var view = new PoolView
        {
            Pool = new PoolDefinition { Name = "web-set", Subnet = "10.20.0.0/24", Ranges = ["10.20.0.10-10.20.0.14"], Parent = "vlan20-a", App = "shop/web" },
            Family = "ipv4",
            Usage = new PoolUsage { Allocated = 2, Capacity = "5", PercentUsed = 40 },
        };
        await using var agent = ScriptedServer.Answering(201, Samples.Json(view, Json.PoolView));

        CliRun run = await CliRun.RunAsync("app-pool", "create", "web-set", "--subnet", "vlan20-a", "--app", "shop/web", "--size", "5", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.OutLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^application:\s+shop/web$"));
        Assert.Contains(run.OutLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^carved from:\s+vlan20-a$"));
        RecordedRequest request = agent.Requests.Single();
        Assert.Equal(("POST", "/v1/app-pools"), (request.Method, request.Target));
        AppPoolCreate? sent = JsonSerializer.Deserialize(request.Body, Json.AppPoolCreate);
        Assert.Equal(("web-set", "vlan20-a", "shop/web", 5, false), (sent!.Name, sent.Parent, sent.App, sent.Size, sent.Keep));
    }
}
