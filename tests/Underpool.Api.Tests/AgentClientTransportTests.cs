using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Api.Tests;

/// <summary>What the plugin and CLI see when the agent answers well, badly, late or not at all.</summary>
public sealed class AgentClientTransportTests
{
    private const string StatusJson = "{\"ready\":true,\"node\":\"n1\",\"store\":\"embedded\",\"version\":\"1.0.0\"}";

    [Fact]
    public async Task A_chunked_answer_is_read_and_the_request_asks_for_one_answer_per_connection()
    {
        await using var server = new ScriptedServer(_ => Answer(
            $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{StatusJson.Length:x}\r\n{StatusJson}\r\n0\r\n\r\n"));

        ApiResult<AgentStatus> status = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Status();

        Assert.True(status.IsSuccess, status.Problem?.Detail);
        Assert.Equal("n1", status.Value.Node);
        Assert.StartsWith("GET /v1/status HTTP/1.1\r\n", server.LastRequest, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", server.LastRequest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_sends_its_json_body_with_its_length()
    {
        await using var server = new ScriptedServer(_ => Json(200, "{\"released\":[]}"));

        ApiResult<CniDelResponse> del = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Del(new CniDelRequest
        {
            Attachment = new AttachmentIdentity { Network = "n", ContainerId = "c", IfName = "eth0" },
        });

        Assert.True(del.IsSuccess, del.Problem?.Detail);
        string request = server.LastRequest ?? "";
        string body = request[(request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.StartsWith("POST /v1/cni/del HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\"containerId\":\"c\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_problem_answer_keeps_the_agents_type_detail_and_cni_code()
    {
        const string problem = "{\"type\":\"pool-exhausted\",\"title\":\"t\",\"status\":409,\"detail\":\"pool 'a' is exhausted\",\"cniCode\":100}";
        await using var server = new ScriptedServer(_ => Json(409, problem));

        ApiResult<AgentStatus> status = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Status();

        Assert.Equal("pool-exhausted", status.Problem?.Type);
        Assert.Equal(100, status.Problem?.CniCode);
        Assert.Equal("pool 'a' is exhausted", status.Problem?.Detail);
    }

    [Fact]
    public async Task An_agent_that_never_answers_is_a_timeout_naming_the_limit_with_code_11()
    {
        await using var server = new ScriptedServer(_ => null);
        var stopwatch = Stopwatch.StartNew();

        ApiResult<AgentStatus> status = new AgentClient(server.SocketPath, TimeSpan.FromMilliseconds(300)).Status();

        // Not "unreachable": the agent took the request and may still carry it out.
        Assert.Equal(AgentClient.TimeoutType, status.Problem?.Type);
        Assert.Contains("may still complete", status.Problem?.Detail, StringComparison.Ordinal);
        Assert.Equal(11, status.Problem?.CniCode);
        Assert.Contains("no answer within 0.3 s", status.Problem?.Detail, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the call took {stopwatch.Elapsed}");
    }

    [Fact]
    public void An_agent_that_accepts_no_connections_is_a_timeout_not_a_hang()
    {
        // A listener that never accepts, its backlog already full: connect() would block for ever without a deadline.
        string path = Path.Combine(Path.GetTempPath(), $"upl-api-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(0);
        var fillers = new List<Socket>();
        try
        {
            FillBacklog(path, fillers);
            var stopwatch = Stopwatch.StartNew();

            ApiResult<AgentStatus> status = new AgentClient(path, TimeSpan.FromMilliseconds(300)).Status();

            Assert.Equal(AgentClient.TimeoutType, status.Problem?.Type);
            Assert.Equal(11, status.Problem?.CniCode);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the call took {stopwatch.Elapsed}");
        }
        finally
        {
            fillers.ForEach(s => s.Dispose());
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock")]
    public void An_unusable_socket_path_is_an_invalid_config_error_not_a_crash(string path)
    {
        ApiResult<AgentStatus> status = new AgentClient(path, TimeSpan.FromSeconds(1)).Status();

        Assert.Equal("invalid-socket-path", status.Problem?.Type);
        Assert.Equal(7, status.Problem?.CniCode);
        Assert.Contains($"at most {AgentClient.MaxSocketPathBytes} bytes", status.Problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_hangs_up_without_answering_is_unreachable_so_the_runtime_retries()
    {
        await using var server = new ScriptedServer(_ => []);

        ApiResult<AgentStatus> status = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Status();

        Assert.Equal(11, status.Problem?.CniCode);
        Assert.Contains("closed the connection without answering", status.Problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Something_else_on_the_socket_is_an_agent_error_quoting_what_it_said()
    {
        await using var server = new ScriptedServer(_ => Answer("SSH-2.0-OpenSSH_9.2\r\n\r\n"));

        ApiResult<AgentStatus> status = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Status();

        Assert.Equal("agent-error", status.Problem?.Type);
        Assert.Equal(102, status.Problem?.CniCode);
        Assert.Contains("SSH-2.0-OpenSSH_9.2", status.Problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_socket_says_the_file_does_not_exist_and_how_to_start_the_agent()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"upl-api-missing-{Guid.NewGuid():N}.sock");

        ApiResult<AgentStatus> status = new AgentClient(socket, TimeSpan.FromSeconds(5)).Status();

        Assert.Equal(11, status.Problem?.CniCode);
        Assert.Contains($"{socket}: the socket file does not exist", status.Problem?.Detail, StringComparison.Ordinal);
        Assert.Contains($"underpoold --socket {socket}", status.Problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_over_the_agents_limit_is_refused_before_sending_with_code_7()
    {
        await using var server = new ScriptedServer(_ => Json(200, "{\"ips\":[]}"));

        ApiResult<CniAddResponse> add = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Add(AddRequest(requestedIps: 120_000));

        Assert.Equal("request-too-large", add.Problem?.Type);
        Assert.Equal(7, add.Problem?.CniCode);
        Assert.StartsWith("request too large: the request to /v1/cni/add would be", add.Problem?.Detail, StringComparison.Ordinal);
        Assert.Null(server.LastRequest);
    }

    [Theory]
    [InlineData(AfterAnswer.Hold)]
    [InlineData(AfterAnswer.Close)]
    public async Task An_agent_that_refuses_the_body_before_reading_it_is_heard_not_taken_for_gone_or_hung(AfterAnswer after)
    {
        // Kestrel answers 413 from the head and stops reading, with most of a large body still unsent: a blocking send
        // then waits for the deadline (Hold) or fails with a broken pipe (Close), and the answer was never read.
        const string problem = "{\"type\":\"request-too-large\",\"title\":\"t\",\"status\":413,\"detail\":\"request too large: over 1 MiB\",\"cniCode\":7}";
        await using var server = new ScriptedServer(_ => Json(413, problem), answerAfterHead: true, after: after);
        var clock = Stopwatch.StartNew();

        ApiResult<CniAddResponse> add = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(20)).Add(AddRequest(requestedIps: 60_000));

        Assert.Equal("request-too-large", add.Problem?.Type);
        Assert.Equal(7, add.Problem?.CniCode);
        Assert.Equal("request too large: over 1 MiB", add.Problem?.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}: the answer waited for the deadline");
    }

    [Theory]
    [InlineData("{\"ips\":\"10.0.0.5/24\"}")]
    [InlineData("{}")]
    [InlineData("")]
    public async Task A_success_answer_that_is_not_the_expected_json_is_an_invalid_answer_with_code_11(string body)
    {
        await using var server = new ScriptedServer(_ => Json(200, body));

        ApiResult<CniAddResponse> add = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Add(AddRequest(requestedIps: 0));

        Assert.Equal(AgentClient.InvalidAnswerType, add.Problem?.Type);
        Assert.Equal(11, add.Problem?.CniCode);
        Assert.StartsWith("the agent's answer is invalid: HTTP 200", add.Problem?.Detail, StringComparison.Ordinal);
    }

    private static CniAddRequest AddRequest(int requestedIps) => new()
    {
        Attachment = new AttachmentIdentity { Network = "n", ContainerId = "c", IfName = "eth0" },
        RequestedIps = [.. Enumerable.Range(0, requestedIps).Select(i => $"10.0.{i / 250 % 250}.{i % 250}")],
    };

    private static byte[] Answer(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>Connects non-blocking until the kernel refuses (EAGAIN): from then on a blocking connect would wait.</summary>
    private static void FillBacklog(string path, List<Socket> fillers)
    {
        for (int i = 0; i < 64; i++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
            fillers.Add(socket);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
        }

        Assert.Fail("the listener's backlog never filled up");
    }

    private static byte[] Json(int status, string body) => ScriptedServer.Json(status, body);
}
