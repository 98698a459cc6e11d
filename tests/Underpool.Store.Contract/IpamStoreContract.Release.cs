using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// ReleaseAttachmentAsync: DEL, idempotent.
public abstract partial class IpamStoreContract
{
    [Fact]
    public async Task Releasing_an_attachment_returns_every_record_it_held_and_removes_them()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        AllocationRecord[] records = [Record(v4, "172.20.1.10"), Record(v6, "fd00:20:1::10")];
        await CommitAsync(records);

        IReadOnlyList<AllocationRecord> released = await Store.ReleaseAttachmentAsync(Attachment(), None);

        StoreAssert.SameRecords(records, released);
        Assert.Empty(await Store.GetAttachmentAsync(Attachment(), None));
        Assert.Empty(await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Releasing_an_attachment_leaves_the_other_attachments()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord other = Record(pool, "172.20.1.11", Attachment("c2"));
        await CommitAsync(Record(pool, "172.20.1.10"));
        await CommitAsync(other);

        await Store.ReleaseAttachmentAsync(Attachment(), None);

        StoreAssert.SameRecords([other], await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Releasing_an_attachment_again_returns_nothing_and_writes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        await CommitAsync(Record(pool, "172.20.1.10"));
        await Store.ReleaseAttachmentAsync(Attachment(), None);
        long revision = await Store.CurrentRevisionAsync(None);

        IReadOnlyList<AllocationRecord> again = await Store.ReleaseAttachmentAsync(Attachment(), None);

        Assert.Empty(again);
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task A_released_address_can_be_committed_by_another_attachment()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        await CommitAsync(Record(pool, "172.20.1.10"));
        await Store.ReleaseAttachmentAsync(Attachment(), None);
        AllocationRecord next = Record(pool, "172.20.1.10", Attachment("c2"), node: "node2");

        CommitOutcome outcome = await Store.TryCommitAsync([next], None);

        Assert.Equal(CommitStatus.Committed, outcome.Status);
        StoreAssert.SameRecords([next], await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }
}
