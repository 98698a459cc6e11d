using System.Net.Sockets;
using System.Text;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>The socket holds a bounded number of connections, and none idle for long: clients send their one request
/// at once, so an idle connection is a hung client or one holding a file descriptor on purpose.</summary>
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_idle_timeout()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(configure: o => o with { IdleTimeout = TimeSpan.FromSeconds(1) });
        using Socket idle = await ConnectAsync(agent.Socket);

        // Before the limit Kestrel kept such a connection for its default 130 s keep-alive.
        using var deadline = new CancellationTokenSource(Deadline);
        int read = await idle.ReceiveAsync(new byte[64], SocketFlags.None, deadline.Token);

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task Connections_beyond_the_cap_are_closed_unanswered_and_a_request_succeeds_once_idle_ones_time_out()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(
            configure: o => o with { MaxConnections = 4, IdleTimeout = TimeSpan.FromSeconds(5) });
        var held = new List<Socket>();
        try
        {
            // Four connections the agent has admitted (each got an answer) and that stay open, idle, afterwards.
            for (int i = 0; i < 4; i++)
            {
                Socket connection = await ConnectAsync(agent.Socket);
                held.Add(connection);
                Assert.Contains("HTTP/1.1 200", await RequestAsync(connection, keepAlive: true), StringComparison.Ordinal);
            }

            using Socket extra = await ConnectAsync(agent.Socket);
            string answer = await RequestAsync(extra, keepAlive: false);

            Assert.DoesNotContain("HTTP/1.1 200", answer, StringComparison.Ordinal);
            await Condition.WaitUntilAsync(
                _ => Task.Run(() => agent.Client.Status().IsSuccess), Deadline, "a request to succeed once the idle connections timed out");
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private static async Task<Socket> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>Sends a health request and reads its answer, or until the server closes: nothing when it refused the
    /// connection. With <paramref name="keepAlive"/> the connection stays open afterwards.</summary>
    private static async Task<string> RequestAsync(Socket socket, bool keepAlive)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var answer = new StringBuilder();
        try
        {
            string request = $"GET /healthz HTTP/1.1\r\nHost: agent\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, deadline.Token);
            byte[] buffer = new byte[4096];
            int read;
            while (!Complete(answer.ToString()) && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // Reset by the server: refused.
        }

        return answer.ToString();
    }

    /// <summary>The answer is whole: its body ("ok\n") has arrived, plain or as the last chunk of a chunked body.</summary>
    private static bool Complete(string answer) =>
        answer.EndsWith("ok\n", StringComparison.Ordinal) || answer.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
}
