using Underpool.Testing;

namespace Underpool.Lab.Tests;

public sealed class LabNetworkTests
{
    [Fact]
    public async Task CreateAsync_WiresNodesToTheSwitchWithTopAddresses()
    {
        await using var lab = await LabNetwork.CreateAsync(2, "172.20.3.0/24");

        Assert.Matches("^upl[0-9a-f]{6}-$", lab.Prefix);
        Assert.Equal([$"{lab.Prefix}node1", $"{lab.Prefix}node2"], lab.Nodes.Select(node => node.Name));
        Assert.Equal([InterfaceAddress.Parse("172.20.3.250/24")], await PodAddress.ReadAsync(lab.Nodes[0].Namespace, "eth0"));
        Assert.Equal([InterfaceAddress.Parse("172.20.3.249/24")], await PodAddress.ReadAsync(lab.Nodes[1].Namespace, "eth0"));
    }

    [Fact]
    public async Task DisposeAsync_DeletesEveryNamespace_AndKillsProcessesLeftInside()
    {
        var lab = await LabNetwork.CreateAsync(1, "172.20.4.0/24");
        var pod = await lab.AddPodNamespaceAsync("pod1");
        var sleeper = lab.RunInNamespaceAsync(pod, "sleep", ["600"], timeout: TimeSpan.FromMinutes(11));
        await Condition.WaitUntilAsync(
            async token => (await IpRoute2.RunAsync(["netns", "pids", pod.Name], token)).StandardOutput.Length > 0,
            TimeSpan.FromSeconds(10),
            "sleep to start inside the pod namespace");

        await lab.DisposeAsync();

        Assert.NotEqual(0, (await sleeper).ExitCode);
        Assert.DoesNotContain(
            await IpRoute2.ListNamespacesAsync(CancellationToken.None),
            name => name.StartsWith(lab.Prefix, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(LabPrefix.OwnerDirectory, lab.Prefix)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("upl")]
    [InlineData("node")]
    [InlineData("upl12345-")]
    [InlineData("uplabcdefg-")]
    public async Task DeleteNamespacesAsync_RefusesAnythingButALabPrefix(string prefix) =>
        await Assert.ThrowsAsync<ArgumentException>(() => LabPrefix.DeleteNamespacesAsync(prefix));

    [Fact]
    public async Task RunInNamespaceAsync_RefusesAForeignNamespace()
    {
        await using var lab = await LabNetwork.CreateAsync(1, "172.20.5.0/24");

        await Assert.ThrowsAsync<ArgumentException>(() =>
            lab.RunInNamespaceAsync(new NetworkNamespace("other"), "true", []));
    }
}
