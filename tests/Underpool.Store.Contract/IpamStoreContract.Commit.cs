using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// TryCommitAsync: all records of one attachment or none, checked against what the store holds in the same step.
public abstract partial class IpamStoreContract
{
    [Fact]
    public async Task A_committed_attachment_reads_back_with_every_field_as_written()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        AllocationRecord[] records = [Record(v4, "172.20.1.10"), Record(v6, "fd00:20:1::10")];

        CommitOutcome outcome = await Store.TryCommitAsync(records, None);

        Assert.Equal(CommitStatus.Committed, outcome.Status);
        StoreAssert.SameRecords(records, await Store.GetAttachmentAsync(Attachment(), None));
        StoreAssert.SameRecords(records, await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Owner_fields_left_out_read_back_as_null()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord record = Record(pool, "172.20.1.10") with { NetNs = null, PodNamespace = null, PodName = null, PodUid = null };

        await CommitAsync(record);

        Assert.Equal(record, Assert.Single(await Store.GetAttachmentAsync(record.Attachment, None)));
    }

    [Fact]
    public async Task The_same_container_on_another_interface_or_network_is_another_attachment()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord[] records =
        [
            Record(pool, "172.20.1.10", Attachment("c1", "eth0", "underlay")),
            Record(pool, "172.20.1.11", Attachment("c1", "net1", "underlay")),
            Record(pool, "172.20.1.12", Attachment("c1", "eth0", "storage")),
        ];

        foreach (AllocationRecord record in records)
        {
            Assert.Equal(CommitStatus.Committed, (await Store.TryCommitAsync([record], None)).Status);
        }

        foreach (AllocationRecord record in records)
        {
            Assert.Equal(record, Assert.Single(await Store.GetAttachmentAsync(record.Attachment, None)));
        }
    }

    [Fact]
    public async Task A_commit_with_one_address_held_is_AddressTaken_naming_it_and_writes_nothing()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        AllocationRecord holder = Record(v4, "172.20.1.10");
        await CommitAsync(holder);
        long revision = await Store.CurrentRevisionAsync(None);
        AttachmentKey late = Attachment("c2");

        // The free address first, so a store writing record by record has written it before meeting the held one.
        CommitOutcome outcome = await Store.TryCommitAsync([Record(v6, "fd00:20:1::11", late), Record(v4, "172.20.1.10", late)], None);

        Assert.Equal(CommitStatus.AddressTaken, outcome.Status);
        Assert.Equal([(v4.Name, IpAddress.Parse("172.20.1.10"))], outcome.Taken);
        Assert.Empty(await Store.GetAttachmentAsync(late, None));
        StoreAssert.SameRecords([holder], await Store.ListAllocationsAsync(AllocationFilter.All, None));
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task Committing_again_for_an_attachment_that_holds_addresses_is_AttachmentExists_with_its_records()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        AllocationRecord[] first = [Record(v4, "172.20.1.10"), Record(v6, "fd00:20:1::10")];
        await CommitAsync(first);
        long revision = await Store.CurrentRevisionAsync(None);

        CommitOutcome outcome = await Store.TryCommitAsync([Record(v4, "172.20.1.11")], None);

        Assert.Equal(CommitStatus.AttachmentExists, outcome.Status);
        StoreAssert.SameRecords(first, outcome.Existing);
        StoreAssert.SameRecords(first, await Store.ListAllocationsAsync(AllocationFilter.All, None));
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task A_commit_into_a_pool_deleted_since_the_pick_is_Stale_and_writes_nothing()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        await Store.DeletePoolAsync(v6.Name, force: false, None);
        long revision = await Store.CurrentRevisionAsync(None);

        // Only the IPv6 record is stale; the IPv4 one must not be written either.
        CommitOutcome outcome = await Store.TryCommitAsync([Record(v4, "172.20.1.10"), Record(v6, "fd00:20:1::10")], None);

        Assert.Equal(CommitStatus.Stale, outcome.Status);
        Assert.Empty(await Store.ListAllocationsAsync(AllocationFilter.All, None));
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task A_commit_picked_from_a_pool_since_deleted_and_created_again_is_Stale_and_writes_nothing()
    {
        PoolSpec picked = await CreatePoolAsync(SamplePools.V4());
        await Store.DeletePoolAsync(picked.Name, force: false, None);
        await CreatePoolAsync(SamplePools.V4());
        long revision = await Store.CurrentRevisionAsync(None);

        CommitOutcome outcome = await Store.TryCommitAsync([Record(picked, "172.20.1.10")], None);

        Assert.Equal(CommitStatus.Stale, outcome.Status);
        Assert.Empty(await Store.ListAllocationsAsync(AllocationFilter.All, None));
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task A_commit_of_an_address_reserved_since_the_pick_is_Stale_and_writes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord picked = Record(pool, "172.20.1.10");
        await Store.AddReservedAsync([picked.Address], None);
        long revision = await Store.CurrentRevisionAsync(None);

        CommitOutcome outcome = await Store.TryCommitAsync([picked], None);

        Assert.Equal(CommitStatus.Stale, outcome.Status);
        Assert.Empty(await Store.ListAllocationsAsync(AllocationFilter.All, None));
        await AssertNothingJournalledSinceAsync(revision);
    }
}
