using System.Globalization;
using Underpool.Testing;

namespace Underpool.StoreLimit;

/// <summary>What one variant cost besides time: CPU of the etcd members and of this process (clients and agents), and
/// the calls etcd served, by gRPC method, from the members' own /metrics.</summary>
internal sealed record ResourceUse(TimeSpan EtcdCpu, TimeSpan ProcessCpu, IReadOnlyDictionary<string, long> Calls, long Proposals)
{
    public static readonly ResourceUse None = new(TimeSpan.Zero, TimeSpan.Zero, new Dictionary<string, long>(), 0);

    /// <summary>One line of cost per allocation: CPU microseconds in etcd and here, etcd calls and raft proposals.</summary>
    public string PerOperation(int operations)
    {
        double n = Math.Max(1, operations);
        string calls = string.Join(' ', Calls.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value / n:F2}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"cpu/op etcd {EtcdCpu.TotalMicroseconds / n,5:F0} us, here {ProcessCpu.TotalMicroseconds / n,5:F0} us; per op: {calls}, proposals={Proposals / n:F2}");
    }
}

/// <summary>Takes <see cref="ResourceUse"/> snapshots around a variant.</summary>
internal sealed class ResourceMeter(EtcdCluster cluster) : IDisposable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task<(LoadResult Result, ResourceUse Use)> MeasureAsync(Func<Task<LoadResult>> variant)
    {
        Snapshot before = await TakeAsync();
        LoadResult result = await variant();
        Snapshot after = await TakeAsync();
        var calls = after.Calls.ToDictionary(c => c.Key, c => c.Value - before.Calls.GetValueOrDefault(c.Key), StringComparer.Ordinal);
        return (result, new ResourceUse(after.EtcdCpu - before.EtcdCpu, after.ProcessCpu - before.ProcessCpu, calls, after.Proposals - before.Proposals));
    }

    public void Dispose() => _http.Dispose();

    private async Task<Snapshot> TakeAsync()
    {
        TimeSpan etcd = TimeSpan.Zero;
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        long proposals = 0;
        for (int i = 0; i < cluster.Size; i++)
        {
            etcd += Cpu(cluster[i].Pid ?? 0);
            string text = await _http.GetStringAsync(cluster[i].ClientUrl + "/metrics");
            foreach (string line in text.Split('\n'))
            {
                if (line.StartsWith("grpc_server_handled_total{", StringComparison.Ordinal) && Label(line, "grpc_method") is { } method)
                {
                    calls[method] = calls.GetValueOrDefault(method) + Value(line);
                }
                else if (line.StartsWith("etcd_server_proposals_committed_total ", StringComparison.Ordinal))
                {
                    proposals = Math.Max(proposals, Value(line));
                }
            }
        }

        return new Snapshot(etcd, Cpu(Environment.ProcessId), calls, proposals);
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat (fields 14 and 15, after the parenthesised name).</summary>
    private static TimeSpan Cpu(int pid)
    {
        if (pid == 0)
        {
            return TimeSpan.Zero;
        }

        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static string? Label(string line, string name)
    {
        int at = line.IndexOf(name + "=\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        int start = at + name.Length + 2;
        return line[start..line.IndexOf('"', start)];
    }

    private static long Value(string line) =>
        (long)double.Parse(line.AsSpan(line.LastIndexOf(' ') + 1), NumberStyles.Float, CultureInfo.InvariantCulture);

    private sealed record Snapshot(TimeSpan EtcdCpu, TimeSpan ProcessCpu, Dictionary<string, long> Calls, long Proposals);
}
