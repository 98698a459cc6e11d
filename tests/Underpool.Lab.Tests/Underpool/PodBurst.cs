namespace Underpool.Lab.Tests;

/// <summary>Many pods at once through the real macvlan plugin, as a rollout hits a few nodes: every pod namespace is
/// made first (<see cref="MakePodsAsync"/>), then the ADDs are fired together, at most <c>perNode</c> at a time on each
/// node (a runtime starts a handful of pods in parallel, not all of them).</summary>
internal static class PodBurst
{
    /// <summary>Empty pod namespaces <c>b0..b(pods-1)</c>, a few made at a time: `ip netns add` is cheap, hundreds of
    /// processes at once are not.</summary>
    public static async Task<NetworkNamespace[]> MakePodsAsync(LabNetwork network, int pods)
    {
        var namespaces = new NetworkNamespace[pods];
        using var making = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, pods).Select(async i =>
        {
            await making.WaitAsync();
            try
            {
                namespaces[i] = await network.AddPodNamespaceAsync($"b{i}");
            }
            finally
            {
                making.Release();
            }
        }));
        return namespaces;
    }

    /// <summary>Pod <c>i</c> runs on node <c>i % nodes</c>; returns every ADD's outcome, in pod order.</summary>
    /// <param name="config">The network config for node n (0-based).</param>
    public static async Task<IReadOnlyList<CniInvocation>> AddAsync(
        UnderpoolLab lab, IReadOnlyList<NetworkNamespace> pods, int perNode, Func<int, string> config)
    {
        int nodes = lab.Network.Nodes.Count;
        SemaphoreSlim[] slots = Enumerable.Range(0, nodes).Select(_ => new SemaphoreSlim(perNode)).ToArray();
        try
        {
            return await Task.WhenAll(pods.Select(async (pod, i) =>
            {
                int node = i % nodes;
                await slots[node].WaitAsync();
                try
                {
                    var add = CniRequest.Add(lab.Network.Nodes[node].Namespace, pod, $"burst-{i}", "eth0", config(node))
                        with { Timeout = TimeSpan.FromSeconds(60) };
                    return await lab.Cni.InvokeAsync(add);
                }
                finally
                {
                    slots[node].Release();
                }
            }));
        }
        finally
        {
            foreach (SemaphoreSlim slot in slots)
            {
                slot.Dispose();
            }
        }
    }
}
