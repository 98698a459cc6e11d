namespace Underpool.Store.Contract;

// Node registration: what `underpoolctl node list` shows and what garbage collection of dead nodes builds on.
public abstract partial class IpamStoreContract
{
    private static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, string> RackA = new() { ["rack"] = "a", ["zone"] = "z1" };

    [Fact]
    public async Task A_heartbeat_registers_the_node_alive_with_its_labels()
    {
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await Store.HeartbeatNodeAsync("node1", RackA, [], LongTtl, None);

        NodeRecord node = Assert.Single(await Store.ListNodesAsync(None));
        Assert.Equal(("node1", true), (node.Name, node.Alive));
        Assert.Equal(RackA.OrderBy(l => l.Key), node.Labels.OrderBy(l => l.Key));
        Assert.True(node.LastSeen is null || node.LastSeen >= before, $"last seen {node.LastSeen} is before the heartbeat ({before})");
    }

    [Fact]
    public async Task A_later_heartbeat_replaces_the_labels_and_keeps_one_record()
    {
        await Store.HeartbeatNodeAsync("node1", RackA, [], LongTtl, None);

        await Store.HeartbeatNodeAsync("node1", new Dictionary<string, string> { ["rack"] = "b" }, [], LongTtl, None);

        NodeRecord node = Assert.Single(await Store.ListNodesAsync(None));
        Assert.Equal([new KeyValuePair<string, string>("rack", "b")], node.Labels);
        Assert.True(node.Alive);
    }

    [Fact]
    public async Task Nodes_are_listed_by_name_and_seen_by_a_second_store()
    {
        await Store.HeartbeatNodeAsync("node2", RackA, [], LongTtl, None);
        await Store.HeartbeatNodeAsync("node1", new Dictionary<string, string>(), [], LongTtl, None);
        IIpamStore second = await OpenAsync();

        Assert.Equal(["node1", "node2"], (await second.ListNodesAsync(None)).Select(n => n.Name));
        Assert.Empty((await second.ListNodesAsync(None))[0].Labels);
    }

    [Fact]
    public async Task A_node_whose_heartbeats_stop_is_listed_as_not_alive_once_its_ttl_passes()
    {
        // etcd rounds a lease up to its minimum ttl (about 2 s by default): wait on the condition, not a fixed time.
        await Store.HeartbeatNodeAsync("node1", RackA, [], TimeSpan.FromSeconds(1), None);
        await Store.HeartbeatNodeAsync("node2", RackA, [], LongTtl, None);

        IReadOnlyList<NodeRecord> nodes = await WaitUntilFirstNodeIsDeadAsync();

        Assert.Equal([("node1", false), ("node2", true)], nodes.Select(n => (n.Name, n.Alive)));
        Assert.Equal(RackA.OrderBy(l => l.Key), nodes[0].Labels.OrderBy(l => l.Key));
    }

    [Fact]
    public async Task A_dead_node_that_heartbeats_again_is_alive()
    {
        await Store.HeartbeatNodeAsync("node1", RackA, [], TimeSpan.FromSeconds(1), None);
        await WaitUntilFirstNodeIsDeadAsync();

        await Store.HeartbeatNodeAsync("node1", RackA, [], LongTtl, None);

        Assert.True(Assert.Single(await Store.ListNodesAsync(None)).Alive);
    }

    [Fact]
    public async Task Heartbeats_journal_nothing()
    {
        long revision = await Store.CurrentRevisionAsync(None);

        await Store.HeartbeatNodeAsync("node1", RackA, [], LongTtl, None);
        await Store.HeartbeatNodeAsync("node1", RackA, [], LongTtl, None);
        await Store.ListNodesAsync(None);

        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task A_heartbeat_with_no_name_or_no_ttl_is_refused()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.HeartbeatNodeAsync("", RackA, [], LongTtl, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.HeartbeatNodeAsync("node1", RackA, [], TimeSpan.Zero, None));

        Assert.Empty(await Store.ListNodesAsync(None));
    }

    /// <summary>Polls the node list until the first node is not alive, or 15 s pass (the caller's assertion then fails).</summary>
    private async Task<IReadOnlyList<NodeRecord>> WaitUntilFirstNodeIsDeadAsync()
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<NodeRecord> nodes = await Store.ListNodesAsync(None);
        while (nodes[0].Alive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            nodes = await Store.ListNodesAsync(None);
        }

        return nodes;
    }
}
