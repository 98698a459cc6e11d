using System.Diagnostics;
using System.Globalization;
using Underpool.Api;

namespace Underpool.Footprint;

/// <summary>One real underpoold process (the published program), its log in a file, stopped by PID.</summary>
internal sealed class AgentRun : IAsyncDisposable
{
    private readonly Process _process;

    private AgentRun(Process process, string socket, string log)
    {
        _process = process;
        Socket = socket;
        Log = log;
        Client = new AgentClient(socket, TimeSpan.FromSeconds(30));
    }

    public string Socket { get; }

    public string Log { get; }

    public AgentClient Client { get; }

    public static async Task<AgentRun> StartAsync(string bin, string stateDir, string dataDir)
    {
        string socket = Path.Combine(stateDir, "agent.sock");
        string log = Path.Combine(stateDir, "agent.log");
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            ArgumentList =
            {
                "-c", "exec \"$0\" \"$@\" >>\"$FOOTPRINT_LOG\" 2>&1", Path.Combine(bin, "underpoold"),
                "--node", "footprint", "--socket", socket, "--data-dir", dataDir, "--log-format", "text", "--probe", "off",
                "--gc-interval", "0",
            },
            Environment = { ["FOOTPRINT_LOG"] = log },
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("underpoold did not start");
        var agent = new AgentRun(process, socket, log);
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(socket) || !agent.Client.Status().IsSuccess)
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await agent.DisposeAsync();
                throw new InvalidOperationException($"underpoold did not answer on {socket}:\n{File.ReadAllText(log)}");
            }

            await Task.Delay(100);
        }

        return agent;
    }

    /// <summary>Resident memory of the agent process (VmRSS), in MiB, split as /proc reports it.</summary>
    public Memory Rss()
    {
        var kib = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && (line.StartsWith("Rss", StringComparison.Ordinal) || line.StartsWith("VmRSS", StringComparison.Ordinal)))
            {
                kib[line[..colon]] = long.Parse(line[(colon + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return new Memory(kib["VmRSS"] / 1024.0, kib["RssAnon"] / 1024.0, kib["RssFile"] / 1024.0, kib["RssShmem"] / 1024.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (Process kill = Process.Start("/bin/kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }
}

/// <summary>Resident memory in MiB: all of it, anonymous (heaps), file backed (code), shared (the runtime's double-mapped
/// generated code, the SQLite -shm file).</summary>
internal readonly record struct Memory(double Total, double Anonymous, double File, double Shared)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Total,6:F1} MiB (anon {Anonymous:F1}, file {File:F1}, shmem {Shared:F1})");
}
