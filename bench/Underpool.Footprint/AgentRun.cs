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

    /// <summary>Resident memory of the agent process (VmRSS), in MiB.</summary>
    public double RssMiB()
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException("no VmRSS");
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
