using System.Diagnostics;

namespace Underpool.Testing;

/// <summary>One etcd process on loopback ports, its data and log under the cluster's temporary directory.</summary>
public sealed class EtcdMember
{
    private readonly string _directory;
    private Process? _process;

    public EtcdMember(string name, string directory, int clientPort, int peerPort)
    {
        Name = name;
        _directory = directory;
        ClientUrl = $"http://127.0.0.1:{clientPort}";
        PeerUrl = $"http://127.0.0.1:{peerPort}";
    }

    public string Name { get; }

    public string ClientUrl { get; }

    public string PeerUrl { get; }

    public string LogFile => Path.Combine(_directory, Name + ".log");

    public bool IsRunning => _process is { HasExited: false };

    public int? Pid => _process?.Id;

    /// <summary>Starts etcd (again, on the same data directory after a kill); output goes to <see cref="LogFile"/>.</summary>
    public void Start(string initialCluster, string token)
    {
        string[] arguments =
        [
            "--name", Name,
            "--data-dir", Path.Combine(_directory, Name + ".data"),
            "--listen-client-urls", ClientUrl,
            "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", PeerUrl,
            "--initial-advertise-peer-urls", PeerUrl,
            "--initial-cluster", initialCluster,
            "--initial-cluster-state", "new",
            "--initial-cluster-token", token,
            "--logger", "zap",
            "--log-outputs", "stderr",
        ];

        // exec: the shell becomes etcd, so the PID we hold is etcd's own and nothing is left behind by a kill.
        string command = "exec /usr/bin/etcd " + string.Join(' ', arguments.Select(Quote)) + " >>" + Quote(LogFile) + " 2>&1";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh for etcd");
    }

    /// <summary>SIGKILL by PID: a crash, the process gets no chance to step down.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        process.Dispose();
        _process = null;
    }

    /// <summary>SIGTERM by PID, then SIGKILL if it has not gone within a few seconds.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            using (Process? kill = Process.Start("/bin/kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                if (kill is not null)
                {
                    await kill.WaitForExitAsync();
                }
            }

            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                // Stuck: fall through to the SIGKILL.
            }
        }

        await KillAsync();
    }

    public string LogTail(int lines = 40) =>
        File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(lines)) : "(no log)";

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
