namespace Underpool.Lab.Tests;

/// <summary>The published underpoold refuses a start that cannot be right with one line on stderr and exit 1, the way
/// an operator (systemd status, a pod's last log line) sees it.</summary>
public sealed class AgentStartLabTests : IDisposable
{
    private readonly TempDirectory _state = TempDirectory.Create("start");

    [Fact]
    public async Task A_socket_directory_others_can_write_stops_the_start_with_one_line_and_exit_1()
    {
        string open = Directory.CreateDirectory(_state.Combine("open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF); // 0777

        ProcessResult run = await StartAsync("--socket", Path.Combine(open, "agent.sock"), "--data-dir", _state.Combine("store"));

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"underpoold: --socket {open}/agent.sock: the socket's directory {open} can be written by users other than its owner (mode 0777)", line, StringComparison.Ordinal);
        Assert.Contains("--allow-insecure-socket-dir", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_stops_the_start_with_one_line_and_exit_1()
    {
        ProcessResult run = await StartAsync("--socket", _state.Combine("agent.sock"), "--data-dir", "/dev/null/store");

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("underpoold: the store (embedded SQLite (/dev/null/store/underpool.db)) cannot be used:", line, StringComparison.Ordinal);
    }

    public void Dispose() => _state.Dispose();

    private static Task<ProcessResult> StartAsync(params string[] args) =>
        ProcessRunner.RunAsync(UnderpoolBinaries.Agent, ["--node", "start-test", "--log-format", "text", .. args], timeout: TimeSpan.FromSeconds(60));
}
