using System.Globalization;

namespace Underpool.Lab.Tests;

/// <summary>The underlay-versus-overlay benchmark, so it cannot rot: one short run (a few pings, one second of iperf3
/// per data plane) must measure all three paths and remove its lab. The figures themselves are docs/benchmarks.md's.</summary>
public sealed class UnderlayVsOverlayScriptTests
{
    [Theory]
    [InlineData("--samples 0", "--samples '0' must be 1-999999")]
    [InlineData("--interval fast", "--interval 'fast' must be seconds")]
    [InlineData("--samples 2 --rounds 3", "--samples 2 must be at least --rounds 3")]
    [InlineData("--bogus", "unknown argument '--bogus'")]
    public async Task A_bad_option_exits_2_naming_it_before_creating_anything(string arguments, string message)
    {
        ProcessResult run = await BenchScript.RunAsync("underlay-vs-overlay", arguments.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_run_measures_the_node_path_macvlan_pods_and_a_vxlan_overlay_and_removes_its_lab()
    {
        LabPrerequisites.EnsureLab();
        LabPrerequisites.EnsureCniPlugin("macvlan");
        LabPrerequisites.EnsureProgram("iperf3", "iperf3");
        LabPrerequisites.EnsureProgram("ping", "iputils-ping");

        ProcessResult run = await BenchScript.RunInLabAsync(
            "underlay-vs-overlay",
            ["--samples", "20", "--interval", "0.01", "--seconds", "1", "--rounds", "1"],
            TimeSpan.FromMinutes(2));

        Assert.True(run.Succeeded, run.Describe());
        // case rtt_us p99_us min_us max_us rtt_x p99_x tcp_mbit tcp_min tcp_max tcp_x
        string[] baseline = Row(run.StandardOutput, "node-to-node");
        Assert.Equal(("1.00", "1.00", "1.00"), (baseline[5], baseline[6], baseline[10]));
        foreach (string plane in new[] { "node-to-node", "macvlan", "vxlan" })
        {
            string[] row = Row(run.StandardOutput, plane);
            Assert.True(double.Parse(row[1], CultureInfo.InvariantCulture) > 0, run.StandardOutput);
            Assert.True(double.Parse(row[7], CultureInfo.InvariantCulture) > 0, run.StandardOutput);
        }

        Assert.Contains("over 20 samples per case", run.StandardOutput, StringComparison.Ordinal);
        await BenchScript.AssertRemovedItsLabAsync(run.StandardOutput);
    }

    private static string[] Row(string output, string name) =>
        output.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(columns => columns.Length == 11 && columns[0] == name);
}
