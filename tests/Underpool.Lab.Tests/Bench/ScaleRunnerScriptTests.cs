namespace Underpool.Lab.Tests;

/// <summary>The scale benchmark, so it cannot rot: its command line and counting helpers without root, and one tiny run
/// (2 nodes, 10 pods, 1 round) through the real macvlan plugin. The full-size run is bench/run-all.sh's; no figure
/// it measures is asserted here, only that it runs, counts and cleans up.</summary>
public sealed class ScaleRunnerScriptTests
{
    [Theory]
    [InlineData("--pods 0", "--pods '0' must be 1-5000")]
    [InlineData("--pods 6000", "--pods '6000' must be 1-5000")]
    [InlineData("--pods 3 --nodes 5", "--pods 3 must be at least --nodes 5")]
    [InlineData("--probe sometimes", "--probe 'sometimes' must be on, off or both")]
    [InlineData("--store zookeeper", "--store 'zookeeper' must be embedded or etcd")]
    [InlineData("--etcd-endpoints http://127.0.0.1:2379", "--etcd-endpoints needs --store etcd")]
    [InlineData("--concurrency", "--concurrency needs a value")]
    [InlineData("--bogus", "unknown argument '--bogus'")]
    public async Task A_bad_option_exits_2_naming_it_before_creating_anything(string arguments, string message)
    {
        ProcessResult run = await BenchScript.RunAsync("scale", arguments.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quarantined_addresses_are_one_pools_conflict_counters_summed_over_the_agents()
    {
        using TempDirectory state = TempDirectory.Create("scale-conflicts");
        const string Help = "# HELP underpool_conflicts_total Candidates another host answered for.\n";
        await File.WriteAllTextAsync(state.Combine("node1.m"), Help + "underpool_conflicts_total{pool=\"on\"} 3\nunderpool_conflicts_total{pool=\"off\"} 9\n");
        await File.WriteAllTextAsync(state.Combine("node2.m"), Help + "underpool_conflicts_total{pool=\"on\"} 4\n");
        await File.WriteAllTextAsync(state.Combine("node3.m"), Help);
        await File.WriteAllTextAsync(state.Combine("renamed.m"), "underpool_other_total 1\n");

        ProcessResult counted = await BenchScript.BashAsync($"source bench/lib/conflicts.sh && conflicts_counted on '{state.Path}'/node*.m");
        ProcessResult unknown = await BenchScript.BashAsync($"source bench/lib/conflicts.sh && conflicts_counted on '{state.Path}/renamed.m'");

        Assert.Equal("7", counted.EnsureSuccess().StandardOutput.Trim());
        Assert.Equal("-", unknown.EnsureSuccess().StandardOutput.Trim());
    }

    [Fact]
    public async Task The_quarantine_is_told_apart_by_who_answered_our_nodes_our_pods_or_another_host()
    {
        using TempDirectory state = TempDirectory.Create("scale-holders");
        await File.WriteAllLinesAsync(state.Combine("quarantine"), ["172.20.64.1 on 0a:00:00:00:00:01", "172.20.64.2 on 0a:00:00:00:00:02", "172.20.64.3 on 0a:00:00:00:00:09", "172.20.64.4 on 0a:00:00:00:00:01"]);
        await File.WriteAllLinesAsync(state.Combine("macs"), ["0A:00:00:00:00:01 node", "0a:00:00:00:00:02 pod"]);

        ProcessResult run = await BenchScript.BashAsync($"source bench/lib/conflicts.sh && conflicts_by_holder '{state.Combine("quarantine")}' '{state.Combine("macs")}'");

        Assert.Equal(
            "4 quarantined: 2 answered by our nodes' uplinks, 1 by our pods, 1 by other MACs",
            run.EnsureSuccess().StandardOutput.Trim());
    }

    [Fact]
    public async Task A_tiny_run_addresses_every_pod_counts_host_locals_duplicates_and_removes_its_lab()
    {
        LabPrerequisites.EnsureLab();
        LabPrerequisites.EnsureCniPlugin("macvlan");
        LabPrerequisites.EnsureCniPlugin("host-local");
        LabPrerequisites.EnsureProgram("nsenter", "util-linux");
        using TempDirectory results = TempDirectory.Create("scale-results");

        ProcessResult run = await BenchScript.RunInLabAsync(
            "scale",
            ["--nodes", "2", "--pods", "10", "--rounds", "1", "--concurrency", "5", "--results", results.Path],
            TimeSpan.FromMinutes(3));

        Assert.True(run.Succeeded, run.Describe());
        string output = run.StandardOutput;
        // case verb wall_s min_s max_s p50_ms p99_ms failed quarantined conflicts dup_addrs calls_s agents_s ratio
        string[] off = Row(output, "underpool-probe-off", "ADD");
        Assert.Equal(("0", "0", "0", "0"), (off[7], off[8], off[9], off[10]));
        string[] hostLocal = Row(output, "host-local", "ADD");
        // Each node's host-local starts over from the same range: all 10 pods share an address with the other node's.
        Assert.Equal(("0", "10", "1.00"), (hostLocal[7], hostLocal[10], hostLocal[13]));
        Assert.Equal(14, Row(output, "underpool-probe-on", "ADD").Length);
        Assert.Contains("left after the DELs: underpool 0 allocations, host-local 0", output, StringComparison.Ordinal);
        Assert.Equal(10, (await File.ReadAllLinesAsync(Path.Combine(results.Path, "scale-embedded-underpool-probe-off.timeline"))).Length);
        Assert.Equal(10, (await File.ReadAllLinesAsync(Path.Combine(results.Path, "scale-embedded-host-local.timeline"))).Length);
        await BenchScript.AssertRemovedItsLabAsync(output);
    }

    private static string[] Row(string output, string name, string verb) =>
        output.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(columns => columns.Length > 2 && columns[0] == name && columns[1] == verb);
}
