namespace Underpool.Lab.Tests;

/// <summary>The burst benchmark's command line and report, checked without root, a lab or any timing: the benchmark
/// itself never runs in the test suite (bench/run-all.sh runs it).</summary>
public sealed class BurstRunnerScriptTests
{
    [Theory]
    [InlineData("--pods 0", "--pods '0' must be 1-9999")]
    [InlineData("--shape veth", "--shape 'veth' must be ipam or macvlan")]
    [InlineData("--probe sometimes", "--probe 'sometimes' must be on, off or both")]
    [InlineData("--store etcd", "--store etcd needs --etcd-endpoints")]
    [InlineData("--etcd-endpoints http://127.0.0.1:2379", "--etcd-endpoints needs --store etcd")]
    [InlineData("--rounds", "--rounds needs a value")]
    [InlineData("--bogus", "unknown argument '--bogus'")]
    public async Task A_bad_option_exits_2_naming_it_before_creating_anything(string arguments, string message)
    {
        ProcessResult run = await BenchScript.RunAsync("burst", arguments.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Etcd_options_parse_into_the_store_pass_through()
    {
        ProcessResult run = await BenchScript.BashAsync(
            "source bench/burst/options.sh && burst_parse_options --store etcd --etcd-endpoints http://127.0.0.1:2379 --pods 7 "
            + "&& echo \"$store $etcd_endpoints $pods $rounds $nodes $shape $probe\"");

        Assert.Equal("etcd http://127.0.0.1:2379 7 3 3 ipam both", run.EnsureSuccess().StandardOutput.Trim());
    }

    [Fact]
    public async Task The_report_gives_medians_percentiles_failures_quarantined_addresses_and_the_ratio_to_host_local()
    {
        using TempDirectory state = TempDirectory.Create("burst-report");
        // Wall times and per-call latencies in microseconds, as the runner writes them.
        await Write(state, "underpool-1node.ADD", wall: [30_000, 20_000, 10_000], calls: [5_000, 7_000, 9_000], failures: [0, 0, 0]);
        await Write(state, "host-local-1node.ADD", wall: [10_000, 12_000, 8_000], calls: [4_000, 4_000, 4_000], failures: [0, 1, 0]);
        await Write(state, "underpool-1node-probe.ADD", wall: [40_000, 40_000, 40_000], calls: [9_000, 9_000, 9_000], failures: [0, 0, 2]);
        // Per round: addresses the quarantine gained, and the conflicts the agents counted.
        await File.WriteAllLinesAsync(state.Combine("underpool-1node-probe.ADD.quarantined"), ["3", "0", "4"]);
        await File.WriteAllLinesAsync(state.Combine("underpool-1node-probe.ADD.conflicts"), ["5", "0", "6"]);

        ProcessResult run = await BenchScript.BashAsync(
            $"source bench/lib/stats.sh && source bench/burst/report.sh && "
            + $"burst_report '{state.Path}' 0 0 underpool-1node underpool-1node-probe host-local-1node underpool-3nodes");

        string[] rows = run.EnsureSuccess().StandardOutput.Split('\n');
        Assert.Equal(
            ["underpool-1node", "ADD", "20.00", "10.00", "30.00", "7.00", "9.00", "0", "-", "-", "400", "30", "2.00"],
            Columns(rows.Single(r => r.StartsWith("underpool-1node ", StringComparison.Ordinal))));
        Assert.Equal(
            ["underpool-1node-probe", "ADD", "40.00", "40.00", "40.00", "9.00", "9.00", "2", "7", "11", "400", "30", "4.00"],
            Columns(rows.Single(r => r.StartsWith("underpool-1node-probe ", StringComparison.Ordinal))));
        Assert.Equal(
            ["host-local-1node", "ADD", "10.00", "8.00", "12.00", "4.00", "4.00", "1", "-", "-", "400", "30", "1.00"],
            Columns(rows.Single(r => r.StartsWith("host-local-1node ", StringComparison.Ordinal))));
        Assert.Contains("left after the DELs: underpool 0 allocations, host-local 0", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agent_line_counts_only_what_happened_between_two_scrapes()
    {
        const string Before = """
            underpool_request_duration_seconds_sum{verb="add"} 0.5
            underpool_request_duration_seconds_count{verb="add"} 10
            underpool_request_duration_seconds_bucket{verb="add",le="0.0008"} 10
            underpool_request_duration_seconds_bucket{verb="add",le="0.0016"} 10
            underpool_request_duration_seconds_sum{verb="del"} 0.1
            underpool_request_duration_seconds_count{verb="del"} 10
            underpool_request_duration_seconds_bucket{verb="del",le="0.0008"} 10
            underpool_commit_collisions_total 2
            underpool_probe_duration_seconds_count{result="clear"} 4
            """;
        const string After = """
            underpool_request_duration_seconds_sum{verb="add"} 0.6
            underpool_request_duration_seconds_count{verb="add"} 110
            underpool_request_duration_seconds_bucket{verb="add",le="0.0008"} 100
            underpool_request_duration_seconds_bucket{verb="add",le="0.0016"} 110
            underpool_request_duration_seconds_sum{verb="del"} 0.15
            underpool_request_duration_seconds_count{verb="del"} 110
            underpool_request_duration_seconds_bucket{verb="del",le="0.0008"} 110
            underpool_commit_collisions_total 5
            underpool_failures_total{verb="add",type="pool-exhausted"} 1
            underpool_probe_duration_seconds_count{result="clear"} 94
            underpool_probe_duration_seconds_count{result="conflict"} 6
            """;

        ProcessResult run = await BenchScript.BashAsync($"source bench/burst/report.sh && agent_metrics_line node2 '{Before}' '{After}'");

        Assert.Equal(
            "agent node2, its own time per request: 100 ADDs, mean 1.00 ms, p99 <= 1.60 ms; 100 DELs, mean 0.50 ms, p99 <= 0.80 ms; "
            + "3 commit collisions, 1 failures; 96 probes (90 clear, 6 conflict)",
            run.EnsureSuccess().StandardOutput.Trim());
    }

    private static string[] Columns(string row) => row.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static async Task Write(TempDirectory state, string name, long[] wall, long[] calls, int[] failures)
    {
        await File.WriteAllLinesAsync(state.Combine($"{name}.wall"), wall.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await File.WriteAllLinesAsync(state.Combine($"{name}.us"), calls.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await File.WriteAllLinesAsync(state.Combine($"{name}.failures"), failures.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // CPU ms of the calls' processes and of the agents, one burst a line.
        await File.WriteAllLinesAsync(state.Combine($"{name}.cpu"), ["400 30", "300 50", "500 10"]);
    }
}
