using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// ListAllocationsAsync filters and CountAllocationsByPoolAsync.
public abstract partial class IpamStoreContract
{
    [Theory]
    [InlineData(null, null, null, "a,b,c,d,e")]
    [InlineData("rack1-v4", null, null, "a,b,c")]
    [InlineData("rack1-v6", null, null, "d,e")]
    [InlineData(null, "node1", null, "a,c,d")]
    [InlineData(null, null, "storage", "c,e")]
    [InlineData("rack1-v4", "node1", null, "a,c")]
    [InlineData("rack1-v6", null, "storage", "e")]
    [InlineData(null, "node2", "underlay", "b")]
    [InlineData("rack1-v4", "node1", "storage", "c")]
    [InlineData("rack1-v4", "node2", "storage", "")]
    [InlineData("empty", null, null, "")]
    [InlineData(null, "node9", null, "")]
    public async Task Listing_allocations_returns_those_matching_every_filter_given(string? pool, string? node, string? network, string containers)
    {
        await CommitListingSamplesAsync();

        IReadOnlyList<AllocationRecord> listed = await Store.ListAllocationsAsync(new AllocationFilter(pool, node, network), None);

        Assert.Equal(
            containers.Split(',', StringSplitOptions.RemoveEmptyEntries),
            listed.Select(r => r.Attachment.ContainerId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Counting_allocations_by_pool_counts_each_pool_that_holds_any()
    {
        await CommitListingSamplesAsync();

        IReadOnlyDictionary<string, long> counts = await Store.CountAllocationsByPoolAsync(None);

        Assert.Equal(
            new Dictionary<string, long> { ["rack1-v4"] = 3, ["rack1-v6"] = 2 },
            counts.ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    /// <summary>Five attachments named a to e across two pools, two nodes and two networks, and a pool with none.</summary>
    private async Task CommitListingSamplesAsync()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        await CreatePoolAsync(SamplePools.Minimal("empty", "10.9.0.0/16"));
        await CommitAsync(Record(v4, "172.20.1.10", Attachment("a", network: "underlay"), node: "node1"));
        await CommitAsync(Record(v4, "172.20.1.11", Attachment("b", network: "underlay"), node: "node2"));
        await CommitAsync(Record(v4, "172.20.1.12", Attachment("c", network: "storage"), node: "node1"));
        await CommitAsync(Record(v6, "fd00:20:1::10", Attachment("d", network: "underlay"), node: "node1"));
        await CommitAsync(Record(v6, "fd00:20:1::11", Attachment("e", network: "storage"), node: "node2"));
    }
}
