using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Underpool.Testing;
using Xunit.Abstractions;

namespace Underpool.Lab.Tests;

/// <summary>Leaked addresses come back for real: a pod namespace deleted without a DEL (a crashed runtime) is found by
/// the agent's liveness sweep and its address released, while a live pod keeps its own.</summary>
public sealed class LeakReclaimLabTests(ITestOutputHelper output)
{
    private const string Subnet = "172.20.1.0/24";
    private const double IntervalSeconds = 1;
    private const double GraceSeconds = 0.5;

    [Fact]
    public async Task A_pod_namespace_deleted_without_a_del_is_reclaimed_within_one_gc_interval_and_a_live_pod_keeps_its_address()
    {
        await using UnderpoolLab lab = await UnderpoolLab.CreateAsync(
            1,
            Subnet,
            "--gc-interval", IntervalSeconds.ToString(CultureInfo.InvariantCulture),
            "--gc-grace", GraceSeconds.ToString(CultureInfo.InvariantCulture));
        Assert.True((await lab.CtlAsync(0, "pool create lab --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.50".Split(' '))).Succeeded);
        LabNode node = lab.Network.Nodes[0];
        NetworkNamespace leaking = await lab.Network.AddPodNamespaceAsync("leak");
        NetworkNamespace alive = await lab.Network.AddPodNamespaceAsync("alive");
        CniInvocation leakAdd = await lab.Cni.InvokeAsync(CniRequest.Add(node.Namespace, leaking, "leak", "eth0", lab.MacvlanConfig(0, ["lab"])));
        CniInvocation aliveAdd = await lab.Cni.InvokeAsync(CniRequest.Add(node.Namespace, alive, "alive", "eth0", lab.MacvlanConfig(0, ["lab"])));
        Assert.True(leakAdd.Succeeded && aliveAdd.Succeeded, leakAdd.Describe() + aliveAdd.Describe() + lab.Logs());
        string leakedAddress = (await PodAddress.ReadAsync(leaking, "eth0"))[0].Address.ToString();
        string aliveAddress = (await PodAddress.ReadAsync(alive, "eth0"))[0].Address.ToString();

        // Past the grace period first, so the measurement is of the sweep alone (the grace is a separate promise).
        await Condition.WaitUntilAsync(
            async _ => (await AllocationsAsync(lab)).All(a => DateTimeOffset.UtcNow - a.CreatedAt > TimeSpan.FromSeconds(GraceSeconds)),
            TimeSpan.FromSeconds(10),
            "both allocations to be older than the grace period");
        Assert.Null(await IpRoute2.DeleteNamespaceAsync(leaking.Name, CancellationToken.None));
        var leakedFor = Stopwatch.StartNew();
        await Condition.WaitUntilAsync(
            async _ => (await AllocationsAsync(lab)).All(a => a.Address != leakedAddress),
            TimeSpan.FromSeconds(IntervalSeconds * 5),
            $"the sweep to release {leakedAddress}");
        leakedFor.Stop();

        output.WriteLine($"leak -> reclaim: {leakedFor.Elapsed.TotalMilliseconds:F0} ms (--gc-interval {IntervalSeconds} s, --gc-grace {GraceSeconds} s)");
        // One interval of the sweep, plus the slack of observing it through underpoolctl on a busy 2-core machine.
        Assert.True(leakedFor.Elapsed < TimeSpan.FromSeconds(IntervalSeconds + 1.5), $"reclaimed after {leakedFor.Elapsed}, more than one interval");
        Assert.Equal([aliveAddress], (await AllocationsAsync(lab)).Select(a => a.Address));
        Assert.Contains($"released {leakedAddress}", lab.Logs(), StringComparison.Ordinal);
        Assert.Equal(aliveAddress, (await PodAddress.ReadAsync(alive, "eth0"))[0].Address.ToString());
    }

    private static async Task<IReadOnlyList<(string Address, DateTimeOffset CreatedAt)>> AllocationsAsync(UnderpoolLab lab)
    {
        JsonElement list = await lab.CtlJsonAsync(0, "ip", "list");
        return list.EnumerateArray()
            .Select(a => (a.GetProperty("address").GetString()!, a.GetProperty("createdAt").GetDateTimeOffset()))
            .ToList();
    }
}
