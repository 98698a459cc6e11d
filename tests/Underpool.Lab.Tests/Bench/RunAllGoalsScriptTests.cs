namespace Underpool.Lab.Tests;

/// <summary>run-all's verdict on issue 16's goals (bench/lib/goals.sh), read from the lines each runner writes: checked
/// on written outputs, never on a timed run.</summary>
public sealed class RunAllGoalsScriptTests
{
    [Fact]
    public async Task Each_goal_is_judged_from_its_runners_output_met_or_not()
    {
        using TempDirectory run = TempDirectory.Create("run-all-goals");
        await File.WriteAllLinesAsync(run.Combine("scale-embedded.log"), [
            "goal, underpool-probe-off: 1000 pods addressed in 9.10 s (<= 20 s: met), 0.95 x host-local (<= 1: met)",
            "goal, underpool-probe-on: 1000 pods addressed in 12.56 s (<= 20 s: met), 1.58 x host-local (<= 1: NOT met)",
        ]);
        await File.WriteAllLinesAsync(run.Combine("scale-etcd.log"), [
            "goal, underpool-probe-on: 1000 pods addressed in 21.40 s (<= 20 s: NOT met), 0.99 x host-local (<= 1: met)",
        ]);
        await File.WriteAllLinesAsync(run.Combine("side-by-side.log"), [
            "macvlan   ratio underpool/host-local (median): 1.30",
            "ipam      ratio underpool/host-local (median): 1.10",
        ]);
        await File.WriteAllLinesAsync(run.Combine("footprint.log"), [
            "RSS idle (after 10 s):              38.2 MiB (anon 9.0, file 20.1, shmem 0.0)",
            "RSS after 10000 ADDs (2100/s):      52.0 MiB (anon 20.0, file 22.0, shmem 0.0)   store: 1 MiB",
            "RSS after 100000 ADDs (2000/s):     61.5 MiB (anon 30.0, file 22.0, shmem 0.0)   store: 9 MiB",
            "RSS right after releasing all (2500/s): 60.0 MiB (anon 30.0, file 22.0, shmem 0.0)",
            "RSS 10 s after the release:         45.0 MiB (anon 15.0, file 22.0, shmem 0.0)",
        ]);
        await File.WriteAllLinesAsync(run.Combine("store-limit.log"), [
            "raw etcd txn                 median    1708/s (min-max 1708-1708), ratio to raw 1.00, retries per allocation 0.000, failures 0",
            "underpool ADD (3 agents)     median    1400/s (min-max 1400-1400), ratio to raw 0.82, retries per allocation 0.000, failures 0",
        ]);

        ProcessResult report = await BenchScript.BashAsync($"source bench/lib/goals.sh && goals_report '{run.Path}'");

        string[] lines = report.EnsureSuccess().StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, lines.Length);
        AssertGoal(lines, "16.1 scale, embedded: all addressed in <= 20 s", "12.56 s", met: true);
        AssertGoal(lines, "16.1 scale, embedded: <= host-local", "1.58 x host-local", met: false);
        AssertGoal(lines, "16.1 scale, etcd: all addressed in <= 20 s", "21.40 s", met: false);
        AssertGoal(lines, "16.1 scale, etcd: <= host-local", "0.99 x host-local", met: true);
        AssertGoal(lines, "16.2 IPAM-alone ADD+DEL <= 1.1 x host-local", "1.10 x host-local", met: true);
        AssertGoal(lines, "16.3 agent idle <= 40 MiB", "38.2 MiB", met: true);
        AssertGoal(lines, "16.3 agent with 100,000 allocations <= 60 MiB", "61.5 MiB (10,000: 52.0; after release: 45.0)", met: false);
        AssertGoal(lines, "16.4 Underpool ADDs >= 0.8 x raw etcd txn/s", "0.82 x raw", met: true);
    }

    [Fact]
    public async Task A_part_that_did_not_run_gives_no_verdict()
    {
        using TempDirectory run = TempDirectory.Create("run-all-goals-empty");
        await File.WriteAllLinesAsync(run.Combine("side-by-side.log"), ["ipam      ratio underpool/host-local (median): 1.51"]);

        ProcessResult report = await BenchScript.BashAsync($"source bench/lib/goals.sh && goals_report '{run.Path}'");

        string line = Assert.Single(report.EnsureSuccess().StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("1.51 x host-local", line, StringComparison.Ordinal);
        Assert.EndsWith("NOT met", line, StringComparison.Ordinal);
    }

    private static void AssertGoal(string[] lines, string goal, string figure, bool met)
    {
        string line = Assert.Single(lines, l => l.StartsWith($"goal {goal} ", StringComparison.Ordinal));
        Assert.Contains($" {figure} ", line, StringComparison.Ordinal);
        Assert.Equal(met, !line.EndsWith("NOT met", StringComparison.Ordinal));
        Assert.EndsWith("met", line, StringComparison.Ordinal);
    }
}
