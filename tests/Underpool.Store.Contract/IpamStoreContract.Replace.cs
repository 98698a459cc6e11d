using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// Static endpoints: their records outlive containers, so the owner fields are rewritten in place.
public abstract partial class IpamStoreContract
{
    private static AllocationRecord StaticRecord(PoolSpec pool, string address, string? runningContainer) =>
        Record(pool, address, Attachment("static:shop/web-0")) with
        {
            Static = true,
            RuntimeContainerId = runningContainer,
            OwnerKind = "StatefulSet",
            OwnerName = "web",
        };

    [Fact]
    public async Task A_static_record_keeps_every_field_through_commit_and_listing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord record = StaticRecord(pool, "172.20.1.10", "c1");

        await CommitAsync(record);

        StoreAssert.SameRecords([record], await Store.GetAttachmentAsync(record.Attachment, None));
        StoreAssert.SameRecords([record], await (await OpenAsync()).ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Replacing_an_attachment_rewrites_its_owner_fields_for_every_store()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        AllocationRecord[] before = [StaticRecord(v4, "172.20.1.10", "c1"), StaticRecord(v6, "fd00:20:1::10", "c1")];
        await CommitAsync(before);
        AllocationRecord[] after = before.Select(r => r with { RuntimeContainerId = "c2", Node = "node2", NetNs = "/var/run/netns/c2", PodUid = "uid-2" }).ToArray();

        Assert.True(await Store.ReplaceAttachmentAsync(before, after, None));

        StoreAssert.SameRecords(after, await (await OpenAsync()).GetAttachmentAsync(before[0].Attachment, None));
    }

    [Fact]
    public async Task Replacing_from_records_that_changed_meanwhile_changes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord original = StaticRecord(pool, "172.20.1.10", "c1");
        await CommitAsync(original);
        AllocationRecord movedByAnother = original with { RuntimeContainerId = "c2", Node = "node2" };
        Assert.True(await Store.ReplaceAttachmentAsync([original], [movedByAnother], None));

        bool replaced = await Store.ReplaceAttachmentAsync([original], [original with { RuntimeContainerId = null }], None);

        Assert.False(replaced);
        StoreAssert.SameRecords([movedByAnother], await Store.GetAttachmentAsync(original.Attachment, None));
    }

    [Fact]
    public async Task Replacing_a_released_attachment_changes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord original = StaticRecord(pool, "172.20.1.10", "c1");
        await CommitAsync(original);
        await Store.ReleaseAttachmentAsync(original.Attachment, None);

        Assert.False(await Store.ReplaceAttachmentAsync([original], [original with { RuntimeContainerId = "c2" }], None));

        Assert.Empty(await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task A_replacement_that_would_change_the_addresses_is_refused()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord original = StaticRecord(pool, "172.20.1.10", "c1");
        await CommitAsync(original);

        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.ReplaceAttachmentAsync([original], [original with { Address = Core.Net.IpAddress.Parse("172.20.1.11") }], None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.ReplaceAttachmentAsync([original], [original with { Attachment = Attachment("c9") }], None));

        StoreAssert.SameRecords([original], await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }
}
