using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// What conflict probing needs to tell our own answers from a foreign host's: the uplink MACs each node's agent probes
// from, the MAC of each pod interface, and whether an address some host answers for is simply allocated.
public abstract partial class IpamStoreContract
{
    private static readonly Dictionary<string, string> NoLabels = [];

    [Fact]
    public async Task A_heartbeat_records_the_nodes_uplink_macs_sorted_and_a_later_one_replaces_them()
    {
        await Store.HeartbeatNodeAsync("node1", NoLabels, ["02:00:00:00:00:0b", "02:00:00:00:00:0a"], LongTtl, None);
        IReadOnlyList<string> first = Assert.Single(await (await OpenAsync()).ListNodesAsync(None)).UplinkMacs;

        await Store.HeartbeatNodeAsync("node1", NoLabels, ["02:00:00:00:00:0c"], LongTtl, None);

        Assert.Equal(["02:00:00:00:00:0a", "02:00:00:00:00:0b"], first);
        Assert.Equal(["02:00:00:00:00:0c"], Assert.Single(await (await OpenAsync()).ListNodesAsync(None)).UplinkMacs);
    }

    [Fact]
    public async Task A_node_whose_agent_has_not_probed_lists_no_uplink_macs_and_its_labels_unchanged()
    {
        await Store.HeartbeatNodeAsync("node1", RackA, [], LongTtl, None);

        NodeRecord node = Assert.Single(await Store.ListNodesAsync(None));

        Assert.Empty(node.UplinkMacs);
        Assert.Equal(RackA.OrderBy(l => l.Key), node.Labels.OrderBy(l => l.Key));
    }

    [Fact]
    public async Task An_allocation_is_found_by_pool_and_address_and_a_free_address_or_another_pool_finds_none()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        await CreatePoolAsync(SamplePools.Minimal("other", "172.20.9.0/24"));
        AllocationRecord record = Record(v4, "172.20.1.10");
        await CommitAsync(record);
        IIpamStore second = await OpenAsync();

        AllocationRecord? found = await second.GetAllocationAsync(v4.Name, IpAddress.Parse("172.20.1.10"), None);

        Assert.Equal(record, found);
        Assert.Null(await second.GetAllocationAsync(v4.Name, IpAddress.Parse("172.20.1.11"), None));
        Assert.Null(await second.GetAllocationAsync("other", IpAddress.Parse("172.20.1.10"), None));
        Assert.Null(await second.GetAllocationAsync("no-such-pool", IpAddress.Parse("172.20.1.10"), None));
    }

    [Fact]
    public async Task A_released_allocation_is_no_longer_found()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord record = Record(v4, "172.20.1.10");
        await CommitAsync(record);

        await Store.ReleaseAttachmentAsync(record.Attachment, None);

        Assert.Null(await Store.GetAllocationAsync(v4.Name, record.Address, None));
    }

    [Fact]
    public async Task A_pod_interfaces_mac_is_recorded_by_replacing_the_attachment_and_kept_in_every_listing()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        AllocationRecord[] before = [Record(v4, "172.20.1.10"), Record(v6, "fd00:20:1::10")];
        await CommitAsync(before);
        AllocationRecord[] after = before.Select(r => r with { Mac = "aa:bb:cc:00:11:22" }).ToArray();

        Assert.True(await Store.ReplaceAttachmentAsync(before, after, None));

        IIpamStore second = await OpenAsync();
        StoreAssert.SameRecords(after, await second.GetAttachmentAsync(before[0].Attachment, None));
        StoreAssert.SameRecords(after, await second.ListAllocationsAsync(AllocationFilter.All, None));
        Assert.Equal("aa:bb:cc:00:11:22", (await second.GetAllocationAsync(v6.Name, IpAddress.Parse("fd00:20:1::10"), None))?.Mac);
    }

    [Fact]
    public async Task A_record_committed_with_a_mac_keeps_it_and_one_without_has_none()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord withMac = Record(v4, "172.20.1.10", Attachment("c1")) with { Mac = "02:42:ac:14:01:0a" };
        AllocationRecord withoutMac = Record(v4, "172.20.1.11", Attachment("c2"));

        await CommitAsync(withMac);
        await CommitAsync(withoutMac);

        IReadOnlyList<AllocationRecord> listed = await (await OpenAsync()).ListAllocationsAsync(AllocationFilter.All, None);
        Assert.Equal(["02:42:ac:14:01:0a", null], listed.OrderBy(r => r.Address).Select(r => r.Mac));
    }
}
