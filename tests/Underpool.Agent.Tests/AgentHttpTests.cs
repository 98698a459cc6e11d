using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Underpool.Api;
using Underpool.Api.Contracts;

using Underpool.Testing;

namespace Underpool.Agent.Tests;

public sealed class AgentHttpTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private InProcessAgent _agent = null!; // set in InitializeAsync, which xunit runs before every test

    public async Task InitializeAsync() => _agent = await InProcessAgent.StartAsync(_dir.Path);

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void The_socket_is_readable_and_writable_by_its_owner_only()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_agent.Socket));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"attachment\":{\"network\":\"n\"}}")]
    [InlineData("null")]
    public async Task A_malformed_add_body_gets_a_400_problem_with_cni_code_7(string body)
    {
        using HttpClient http = RawClient();

        using HttpResponseMessage response = await http.PostAsync(
            new Uri(ApiRoutes.CniAdd, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Problem? problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.Problem);
        Assert.Equal(7, problem!.CniCode);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Theory]
    [InlineData("{}", "nothing to change")]
    [InlineData("{\"addExclude\":[null]}", "addExclude[0] is null")]
    [InlineData("{\"routes\":[null]}", "routes[0] is null")]
    public async Task An_empty_pool_update_or_one_holding_a_null_is_a_400_problem(string body, string expected)
    {
        await _agent.CreatePoolAsync(PoolDefinitions.V4());
        using HttpClient http = RawClient();

        using HttpResponseMessage response = await http.PostAsync(
            new Uri(ApiRoutes.PoolUpdate("v4"), UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Problem? problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.Problem);
        Assert.Contains(expected, problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_allocations_per_pool_and_show_pool_usage()
    {
        await _agent.CreatePoolAsync(PoolDefinitions.V4());
        await _agent.AddAsync("c1", v4: ["v4"]);
        await _agent.AddAsync("c2", v4: ["nope"]);

        ApiResult<string> metrics = _agent.Client.GetMetricsText();

        Assert.Contains("underpool_allocations_total{pool=\"v4\"} 1", metrics.Value, StringComparison.Ordinal);
        Assert.Contains("underpool_pool_allocated{pool=\"v4\"} 1", metrics.Value, StringComparison.Ordinal);
        Assert.Contains("underpool_pool_capacity{pool=\"v4\"} 253", metrics.Value, StringComparison.Ordinal);
        Assert.Contains("underpool_failures_total{verb=\"add\",type=\"unknown-pool\"} 1", metrics.Value, StringComparison.Ordinal);
        Assert.Contains("underpool_request_duration_seconds_bucket{verb=\"add\"", metrics.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_reports_ready_with_node_and_store()
    {
        ApiResult<AgentStatus> status = _agent.Client.Status();

        Assert.True(status.Value!.Ready);
        Assert.Equal("node1", status.Value.Node);
        Assert.Contains("SQLite", status.Value.Store, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_client_of_a_socket_nobody_listens_on_gets_code_11_naming_the_socket()
    {
        string socket = Path.Combine(_dir.Path, "nobody.sock");
        var client = new AgentClient(socket, TimeSpan.FromSeconds(2));

        ApiResult<AgentStatus> status = client.Status();

        Assert.Equal("agent-unreachable", status.Problem!.Type);
        Assert.Equal(11, status.Problem.CniCode);
        Assert.Contains(socket, status.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_agent_on_a_live_socket_refuses_to_start()
    {
        var options = new AgentOptions { Socket = _agent.Socket, Node = "n2", DataDir = _dir.Path };

        var error = await Assert.ThrowsAsync<Hosting.AgentStartException>(() => Hosting.AgentHost.StartAsync(
            options, new Store.Embedded.SqliteIpamStore(_dir.Path), _ => { }, CancellationToken.None));

        Assert.Contains("already listening", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/pools", "{\"name\":\"p\",\"subnet\":\"10.9.0.0/24\",\"routes\":[null]}", "routes[0] is null")]
    [InlineData("/v1/pools", "{\"name\":\"p\",\"subnet\":\"10.9.0.0/24\",\"ranges\":null}", "ranges")]
    [InlineData("/v1/cni/add", "{\"attachment\":{\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"eth0\"},\"pools\":{\"ipv4\":[null]}}", "pools.ipv4[0] is null")]
    [InlineData("/v1/cni/gc", "{\"network\":\"n\",\"validAttachments\":[null]}", "validAttachments[0] is null")]
    [InlineData("/v1/reserved", "{\"addresses\":[\"10.0.0.1\",null]}", "addresses[1] is null")]
    [InlineData("/v1/cni/add", "{\"attachment\":{\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"eth0\"},\"requestedIps\":[null]}", "requestedIps[0] is null")]
    public async Task A_null_where_a_value_belongs_is_a_400_naming_the_field_and_changes_nothing(string route, string body, string named)
    {
        using HttpClient http = RawClient();

        using HttpResponseMessage response = await http.PostAsync(
            new Uri(route, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Problem? problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.Problem);
        Assert.Contains(named, problem!.Detail, StringComparison.Ordinal);
        Assert.Equal(7, problem.CniCode);
        Assert.Empty(_agent.Client.ListPools().Value!);
        Assert.Empty(_agent.Client.ListReserved().Value!.Addresses);
    }

    [Theory]
    [InlineData("\"network\":\"n\",\"containerId\":\"c/1\",\"ifName\":\"eth0\"", "attachment.containerId \"c/1\" is invalid: character '/'")]
    [InlineData("\"network\":\"n\",\"containerId\":\"-c\",\"ifName\":\"eth0\"", "attachment.containerId \"-c\" is invalid")]
    [InlineData("\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"eth0:1\"", "attachment.ifName \"eth0:1\" contains ':'")]
    [InlineData("\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"abcdefghijklmnop\"", "is 16 bytes long; Linux interface names are at most 15")]
    [InlineData("\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"..\"", "attachment.ifName \"..\" is reserved")]
    [InlineData("\"network\":\"~app-pool\",\"containerId\":\"c\",\"ifName\":\"eth0\"", "attachment.network \"~app-pool\" is invalid")]
    [InlineData("\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"eth0\",\"netNs\":\"netns/c\"", "attachment.netNs \"netns/c\" is not an absolute path")]
    [InlineData("\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"eth0\",\"netNs\":\"/run/netns/c\\u0000\"", "control character U+0000")]
    public async Task An_add_whose_attachment_breaks_the_cni_rules_is_a_400_naming_the_field_and_allocates_nothing(string attachment, string expected)
    {
        await _agent.CreatePoolAsync(PoolDefinitions.V4(isDefault: true));
        using HttpClient http = RawClient();

        using HttpResponseMessage response = await http.PostAsync(
            new Uri(ApiRoutes.CniAdd, UriKind.Relative), new StringContent($"{{\"attachment\":{{{attachment}}}}}", Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Problem? problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.Problem);
        Assert.Contains(expected, problem!.Detail, StringComparison.Ordinal);
        Assert.Equal(7, problem.CniCode);
        Assert.Empty(await _agent.AllocationsAsync());
    }

    [Fact]
    public async Task A_gc_of_the_networks_reserved_for_application_pools_is_refused_and_releases_nothing()
    {
        // '~app-pool' holds every carved address of the application pools; no CNI network can be named so.
        await _agent.CreatePoolAsync(PoolDefinitions.V4());
        ApiResult<PoolView> carved = _agent.Client.CreateAppPool(new AppPoolCreate { Name = "web-set", Parent = "v4", App = "shop/web", Size = 2 });
        Assert.True(carved.IsSuccess, carved.Problem?.Detail);
        using HttpClient http = RawClient();

        using HttpResponseMessage response = await http.PostAsync(
            new Uri(ApiRoutes.CniGc, UriKind.Relative), new StringContent("{\"network\":\"~app-pool\",\"validAttachments\":[]}", Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(2, (await _agent.AllocationsAsync()).Count);
    }

    [Fact]
    public async Task A_del_with_an_unusable_netns_is_served_since_del_needs_none()
    {
        using HttpClient http = RawClient();

        using HttpResponseMessage response = await http.PostAsync(
            new Uri(ApiRoutes.CniDel, UriKind.Relative),
            new StringContent("{\"attachment\":{\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"eth0\",\"netNs\":\"relative\"}}", Encoding.UTF8, "application/json"));

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_request_that_leaves_out_every_optional_field_is_served()
    {
        using HttpClient http = RawClient();

        using HttpResponseMessage create = await http.PostAsync(
            new Uri(ApiRoutes.Pools, UriKind.Relative),
            new StringContent("{\"name\":\"p\",\"subnet\":\"10.9.0.0/24\",\"default\":true}", Encoding.UTF8, "application/json"));
        using HttpResponseMessage add = await http.PostAsync(
            new Uri(ApiRoutes.CniAdd, UriKind.Relative),
            new StringContent("{\"attachment\":{\"network\":\"n\",\"containerId\":\"c\",\"ifName\":\"eth0\"}}", Encoding.UTF8, "application/json"));

        Assert.Equal(201, (int)create.StatusCode);
        Assert.Equal(200, (int)add.StatusCode);
        CniAddResponse? added = await add.Content.ReadFromJsonAsync(ApiJsonContext.Default.CniAddResponse);
        Assert.Equal("10.9.0.1/24", Assert.Single(added!.Ips).Address);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_not_an_empty_answer()
    {
        using HttpClient http = RawClient();

        using HttpResponseMessage response = await http.GetAsync(new Uri("/v1/nothing-here", UriKind.Relative));

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Problem? problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.Problem);
        Assert.Contains("GET /v1/nothing-here", problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_as_the_clients_mistake_not_a_store_failure()
    {
        // Only the head announces the size: Kestrel answers 413 from Content-Length and closes, so a client still
        // sending a real megabyte would race that close (broken pipe) instead of reading the answer.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_agent.Socket));
        long announced = Hosting.AgentHost.MaxRequestBodyBytes + 1;
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"POST {ApiRoutes.Pools} HTTP/1.1\r\nHost: agent\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {announced}\r\nConnection: close\r\n\r\n{{"));

        string answer = await ReadToEndAsync(socket);

        Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"request-too-large\"", answer, StringComparison.Ordinal);
        Assert.Contains("request too large", answer, StringComparison.Ordinal);
        Assert.Contains("\"cniCode\":7", answer, StringComparison.Ordinal);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new List<byte>();
        byte[] buffer = new byte[4096];
        int read;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, read));
        }

        return Encoding.UTF8.GetString([.. received]);
    }

    [Fact]
    public async Task An_agent_told_to_listen_on_a_regular_file_refuses_and_leaves_the_file_alone()
    {
        string precious = Path.Combine(_dir.Path, "precious.db");
        await File.WriteAllTextAsync(precious, "data");
        var options = new AgentOptions { Socket = precious, Node = "n2", DataDir = _dir.Path };

        var error = await Assert.ThrowsAsync<Hosting.AgentStartException>(() => Hosting.AgentHost.StartAsync(
            options, new Store.Embedded.SqliteIpamStore(_dir.Path), _ => { }, CancellationToken.None));

        Assert.Contains("not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal("data", await File.ReadAllTextAsync(precious));
    }

    private HttpClient RawClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(_agent.Socket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://agent") };
    }
}
