using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>A socket file removed or replaced while the agent runs is noticed, logged as an error saying what was
/// found, and bound again, so clients reach the agent again.</summary>
public sealed class SocketWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly CapturedLogs _logs = new();
    private InProcessAgent _agent = null!; // set in InitializeAsync, which xunit runs before every test

    public async Task InitializeAsync() => _agent = await InProcessAgent.StartAsync(logs: _logs);

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task A_deleted_socket_file_comes_back_and_answers()
    {
        File.Delete(_agent.Socket);

        await WaitUntilTheAgentAnswersAsync();
        Assert.Single(_logs.At(LogLevel.Error, $"the agent's socket {_agent.Socket} was removed"));
    }

    [Fact]
    public async Task A_regular_file_put_in_the_sockets_place_is_logged_and_replaced_by_the_socket()
    {
        File.Delete(_agent.Socket);
        await File.WriteAllTextAsync(_agent.Socket, "not a socket");

        await WaitUntilTheAgentAnswersAsync();
        Assert.Single(_logs.At(LogLevel.Error, $"the agent's socket {_agent.Socket} was replaced by a regular file owned by uid 0"));
    }

    [Fact]
    public async Task An_impostor_listening_in_the_sockets_place_is_replaced_and_clients_reach_the_agent_again()
    {
        File.Delete(_agent.Socket);
        using var impostor = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        impostor.Bind(new UnixDomainSocketEndPoint(_agent.Socket));
        impostor.Listen(16);

        await WaitUntilTheAgentAnswersAsync();
        Assert.Single(_logs.At(LogLevel.Error, $"the agent's socket {_agent.Socket} was replaced by a socket owned by uid 0"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_agent.Socket));
    }

    private async Task WaitUntilTheAgentAnswersAsync()
    {
        try
        {
            await Condition.WaitUntilAsync(
                _ => Task.Run(() => _agent.Client.Status() is { IsSuccess: true, Value: AgentStatus { Node: "node1" } }),
                Deadline,
                $"the agent to answer on {_agent.Socket} again");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + " logs: " + string.Join(" | ", _logs.Entries.Select(l => $"{l.Level} {l.Category} {l.Message}")));
        }
    }
}
