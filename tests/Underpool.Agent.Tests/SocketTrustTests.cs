using Underpool.Agent.Hosting;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>The socket is the agent's only access control, so the agent refuses to create it where another user could
/// replace it, unless told to accept that.</summary>
public sealed class SocketTrustTests : IDisposable
{
    private readonly TempDir _root = new();

    [Fact]
    public async Task Start_is_refused_in_a_socket_directory_that_others_can_write()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root.Path, "open")).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF); // 0777

        AgentStartException refused = await Assert.ThrowsAsync<AgentStartException>(() => StartWithSocketAsync(Path.Combine(dir, "agent.sock")));

        Assert.Contains($"the socket's directory {dir} can be written by users other than its owner (mode 0777)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-insecure-socket-dir", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.False(File.Exists(Path.Combine(dir, "agent.sock")));
    }

    [Fact]
    public async Task Start_is_refused_in_a_socket_directory_that_another_user_owns()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root.Path, "theirs")).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x1C0); // 0700
        await RunAsync("chown", "12345", dir);

        AgentStartException refused = await Assert.ThrowsAsync<AgentStartException>(() => StartWithSocketAsync(Path.Combine(dir, "agent.sock")));

        Assert.Contains($"the socket's directory {dir} belongs to uid 12345", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_is_refused_below_a_directory_others_can_write_without_the_sticky_bit()
    {
        string open = Directory.CreateDirectory(Path.Combine(_root.Path, "open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF); // 0777, not sticky: anyone may rename what is inside
        string mine = Directory.CreateDirectory(Path.Combine(open, "mine")).FullName;
        File.SetUnixFileMode(mine, (UnixFileMode)0x1C0);

        AgentStartException refused = await Assert.ThrowsAsync<AgentStartException>(() => StartWithSocketAsync(Path.Combine(mine, "agent.sock")));

        Assert.Contains($"the directory above it {open} can be written by users other than its owner (mode 0777)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_directory_below_a_sticky_one_such_as_tmp_is_trusted()
    {
        string sticky = Directory.CreateDirectory(Path.Combine(_root.Path, "sticky")).FullName;
        File.SetUnixFileMode(sticky, (UnixFileMode)0x3FF); // 1777, as /tmp
        string mine = Directory.CreateDirectory(Path.Combine(sticky, "mine")).FullName;

        await using InProcessAgent agent = await StartWithSocketAsync(Path.Combine(mine, "agent.sock"));

        Assert.True(agent.Client.Status().Value!.Ready);
    }

    [Fact]
    public async Task The_flag_accepts_a_socket_directory_that_others_can_write()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root.Path, "open")).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);

        await using InProcessAgent agent = await StartWithSocketAsync(Path.Combine(dir, "agent.sock"), allowInsecure: true);

        Assert.True(agent.Client.Status().Value!.Ready);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(agent.Socket));
    }

    public void Dispose() => _root.Dispose();

    private static Task<InProcessAgent> StartWithSocketAsync(string socket, bool allowInsecure = false) =>
        InProcessAgent.StartAsync(configure: o => o with { Socket = socket, AllowInsecureSocketDir = allowInsecure });

    private static async Task RunAsync(string tool, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(tool, args);
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
