using System.Reflection;
using System.Net.Sockets;
using System.Text;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Api.Tests;

/// <summary>The transport talks to the agent through libc's socket calls, not System.Net.Sockets (whose engine thread
/// cost a tenth of a plugin call): what the system reports must still reach the person as before.</summary>
public sealed class UnixSocketTransportTests
{
    [Fact]
    public void The_client_does_not_use_System_Net_Sockets_so_a_call_starts_no_socket_engine_thread()
    {
        AssemblyName[] references = typeof(AgentClient).Assembly.GetReferencedAssemblies();

        Assert.DoesNotContain(references, name => name.Name == "System.Net.Sockets");
    }

    [Fact]
    public void A_socket_file_nobody_listens_on_is_unreachable_with_the_systems_reason()
    {
        // A socket bound but not listening (as a crashed agent's file is, until it is removed): connect() is refused.
        string path = Path.Combine(Path.GetTempPath(), $"upl-api-stale-{Guid.NewGuid():N}.sock");
        using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        bound.Bind(new UnixDomainSocketEndPoint(path));

        try
        {
            ApiResult<AgentStatus> status = new AgentClient(path, TimeSpan.FromSeconds(5)).Status();

            Assert.Equal(ProblemKinds.AgentUnreachable.Type, status.Problem?.Type);
            Assert.Equal(11, status.Problem?.CniCode);
            Assert.Contains($"cannot reach the underpool agent at {path}: Connection refused.", status.Problem?.Detail, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_answer_larger_than_one_read_is_read_whole()
    {
        string node = new('n', 200_000);
        await using var server = new ScriptedServer(_ => ScriptedServer.Json(
            200, $"{{\"ready\":true,\"node\":\"{node}\",\"store\":\"embedded\",\"version\":\"1.0.0\"}}"));

        ApiResult<AgentStatus> status = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Status();

        Assert.True(status.IsSuccess, status.Problem?.Detail);
        Assert.Equal(node, status.Value.Node);
    }

    [Fact]
    public async Task An_agent_that_answers_half_and_hangs_up_is_an_agent_error_saying_where_the_answer_stopped()
    {
        await using var server = new ScriptedServer(_ => Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ready\":"));

        ApiResult<AgentStatus> status = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(5)).Status();

        Assert.Equal("agent-error", status.Problem?.Type);
        Assert.Contains("the answer's body ended after 9 of 100 bytes", status.Problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_larger_than_the_socket_buffer_reaches_an_agent_that_reads_it_all()
    {
        await using var server = new ScriptedServer(_ => ScriptedServer.Json(200, "{\"released\":[]}"));
        string longId = new('c', 600_000);

        ApiResult<CniDelResponse> del = new AgentClient(server.SocketPath, TimeSpan.FromSeconds(20)).Del(new CniDelRequest
        {
            Attachment = new AttachmentIdentity { Network = "n", ContainerId = longId, IfName = "eth0" },
        });

        Assert.True(del.IsSuccess, del.Problem?.Detail);
        Assert.Contains(longId, server.LastRequest, StringComparison.Ordinal);
    }
}
