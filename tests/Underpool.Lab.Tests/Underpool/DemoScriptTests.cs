using System.Text.RegularExpressions;

namespace Underpool.Lab.Tests;

/// <summary>The README's first command ends in scripts/demo.sh; CI runs it so the demo a newcomer sees keeps working.</summary>
public sealed partial class DemoScriptTests
{
    [Fact]
    public async Task The_demo_gives_four_pods_distinct_addresses_shows_host_local_colliding_and_removes_its_lab()
    {
        LabPrerequisites.EnsureLab();
        LabPrerequisites.EnsureCniPlugin("macvlan");
        string script = Path.Combine(UnderpoolBinaries.RepositoryRoot(), "scripts", "demo.sh");

        ProcessResult demo = await ProcessRunner.RunAsync(
            script,
            [],
            environment: new Dictionary<string, string?> { ["UNDERPOOL_BIN"] = UnderpoolBinaries.Directory },
            timeout: TimeSpan.FromMinutes(2));

        Assert.True(demo.Succeeded, demo.Describe());
        string output = demo.StandardOutput;
        string[] podAddresses = PodLine().Matches(output).Select(m => m.Groups["v4"].Value).ToArray();
        Assert.Equal(4, podAddresses.Length);
        Assert.Equal(4, podAddresses.Distinct().Count());
        Match hostLocal = HostLocalLines().Match(output);
        Assert.True(hostLocal.Success, output);
        Assert.Equal(hostLocal.Groups["a"].Value, hostLocal.Groups["b"].Value);
        Assert.Contains("64 bytes from", output, StringComparison.Ordinal);

        string prefix = PrefixLine().Match(output).Groups["prefix"].Value;
        Assert.NotEmpty(prefix);
        ProcessResult namespaces = await ProcessRunner.RunAsync("ip", ["netns", "list"]);
        Assert.DoesNotContain(prefix, namespaces.StandardOutput, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"web-\d\s+on node\d\s+eth0: (?<v4>172\.20\.1\.\d+)/24 fd00:20:1::")]
    private static partial Regex PodLine();

    [GeneratedRegex(@"host-local pod on node1\s+eth0: (?<a>\S+)\s+host-local pod on node2\s+eth0: (?<b>\S+)")]
    private static partial Regex HostLocalLines();

    [GeneratedRegex(@"\(namespaces (?<prefix>[A-Za-z0-9_-]+)\*\)")]
    private static partial Regex PrefixLine();
}
