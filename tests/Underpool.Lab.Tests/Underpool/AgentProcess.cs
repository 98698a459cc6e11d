using System.Diagnostics;
using System.Net.Sockets;
using Underpool.Testing;

namespace Underpool.Lab.Tests;

/// <summary>A real underpoold process for one lab node, stopped by PID (SIGTERM, then SIGKILL) on dispose.</summary>
/// <remarks>Agents run in the root namespace: they only serve a unix socket, which is not bound to a network
/// namespace, so the plugin running inside a node namespace reaches it.</remarks>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;

    private AgentProcess(Process process, string socket, string logFile)
    {
        _process = process;
        Socket = socket;
        LogFile = logFile;
    }

    public string Socket { get; }

    public string LogFile { get; }

    public int Pid => _process.Id;

    public static async Task<AgentProcess> StartAsync(string node, string socket, string dataDir, string logFile, params string[] extra)
    {
        // Logs go to a file through a shell redirect, so a chatty agent can never block on a full pipe.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            ArgumentList =
            {
                "-c",
                "exec \"$0\" \"$@\" >>\"$UNDERPOOL_LOG\" 2>&1",
                UnderpoolBinaries.Agent,
                "--node", node, "--socket", socket, "--store", "embedded", "--data-dir", dataDir, "--log-format", "text",
            },
            Environment = { ["UNDERPOOL_LOG"] = logFile },
        };
        foreach (string arg in extra)
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("underpoold did not start");
        var agent = new AgentProcess(process, socket, logFile);
        try
        {
            await Condition.WaitUntilAsync(
                async ct => process.HasExited ? throw new InvalidOperationException($"underpoold exited: {agent.Log()}") : await agent.AnswersAsync(ct),
                TimeSpan.FromSeconds(30),
                $"underpoold for {node} to listen on {socket}");
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown code runs, the socket file stays behind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-KILL", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await _process.WaitForExitAsync();
        }
    }

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        // A lab stops an agent and may dispose it again at its own end: the second time is a no-op.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Socket))
        {
            return false;
        }

        using var probe = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
