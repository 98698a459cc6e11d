using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// The change journal agents follow to keep their in-memory views current, and what several store instances share.
public abstract partial class IpamStoreContract
{
    [Fact]
    public async Task The_current_revision_grows_with_every_write()
    {
        var revisions = new List<long> { await Store.CurrentRevisionAsync(None) };
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        revisions.Add(await Store.CurrentRevisionAsync(None));
        await Store.AddReservedAsync([ReservedA], None);
        revisions.Add(await Store.CurrentRevisionAsync(None));
        await CommitAsync(Record(pool, "172.20.1.10"));
        revisions.Add(await Store.CurrentRevisionAsync(None));
        await Store.ReleaseAttachmentAsync(Attachment(), None);
        revisions.Add(await Store.CurrentRevisionAsync(None));
        await Store.RemoveReservedAsync([ReservedA], None);
        revisions.Add(await Store.CurrentRevisionAsync(None));
        await Store.DeletePoolAsync(pool.Name, force: false, None);
        revisions.Add(await Store.CurrentRevisionAsync(None));

        Assert.All(revisions.Zip(revisions.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.First} then {pair.Second}"));
    }

    [Fact]
    public async Task Reading_changes_returns_exactly_those_after_the_revision_in_order()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        long start = await Store.CurrentRevisionAsync(None);
        await CommitAsync(Record(pool, "172.20.1.10"));
        await CommitAsync(Record(pool, "172.20.1.11", Attachment("c2")));
        await Store.ReleaseAttachmentAsync(Attachment(), None);
        await Store.ReleaseAttachmentAsync(Attachment("c2"), None);
        await Store.DeletePoolAsync("p", force: false, None);

        List<StoreChange> all = await ChangesAfterAsync(start);
        List<StoreChange> afterSecond = await ChangesAfterAsync(all[1].Revision);

        Assert.Equal(
            [Added("p", "172.20.1.10"), Added("p", "172.20.1.11"), Removed("p", "172.20.1.10"), Removed("p", "172.20.1.11"), PoolsChanged("p")],
            all.Select(c => (c.Kind, c.Pool, c.Address?.ToString())));
        Assert.Equal(all.Skip(2), afterSecond);
        Assert.Equal(await Store.CurrentRevisionAsync(None), all[^1].Revision);
    }

    [Fact]
    public async Task Reading_changes_at_the_current_revision_returns_none()
    {
        await CreatePoolAsync(SamplePools.V4());
        long current = await Store.CurrentRevisionAsync(None);

        StoreChangeBatch batch = await Store.ReadChangesAsync(current, None);

        Assert.Equal((false, 0, current), (batch.ResetRequired, batch.Changes.Count, batch.Revision));
    }

    [Fact]
    public async Task Reading_changes_after_a_revision_the_store_never_reached_requires_a_reset()
    {
        await CreatePoolAsync(SamplePools.V4());
        long current = await Store.CurrentRevisionAsync(None);

        // What an agent meets when the store it followed was replaced by one with a shorter history.
        StoreChangeBatch batch = await Store.ReadChangesAsync(current + 1_000, None);

        Assert.True(batch.ResetRequired);
    }

    [Fact]
    public async Task A_commit_journals_one_AllocationAdded_per_address()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        long revision = await Store.CurrentRevisionAsync(None);

        await CommitAsync(Record(v4, "172.20.1.10"), Record(v6, "fd00:20:1::10"));

        Assert.Equal(
            InAnyOrder([Added(v4.Name, "172.20.1.10"), Added(v6.Name, "fd00:20:1::10")]),
            InAnyOrder(await JournalAfterAsync(revision)));
    }

    [Fact]
    public async Task A_release_journals_one_AllocationRemoved_per_released_address()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        await CommitAsync(Record(v4, "172.20.1.10"), Record(v6, "fd00:20:1::10"));
        long revision = await Store.CurrentRevisionAsync(None);

        await Store.ReleaseAttachmentAsync(Attachment(), None);

        Assert.Equal(
            InAnyOrder([Removed(v4.Name, "172.20.1.10"), Removed(v6.Name, "fd00:20:1::10")]),
            InAnyOrder(await JournalAfterAsync(revision)));
    }

    [Fact]
    public async Task Creating_and_deleting_a_pool_each_journal_PoolsChanged_naming_it()
    {
        long revision = await Store.CurrentRevisionAsync(None);

        await CreatePoolAsync(SamplePools.V4("p"));
        await Store.DeletePoolAsync("p", force: false, None);

        Assert.Equal([PoolsChanged("p"), PoolsChanged("p")], await JournalAfterAsync(revision));
    }

    [Fact]
    public async Task Adding_and_removing_reserved_addresses_journal_ReservedChanged()
    {
        long start = await Store.CurrentRevisionAsync(None);
        await Store.AddReservedAsync([ReservedA, ReservedC], None);
        long added = await Store.CurrentRevisionAsync(None);

        await Store.RemoveReservedAsync([ReservedA], None);

        // Whether one change per address or one per call is the backend's choice: a reader re-reads the set.
        foreach (List<StoreChange> changes in new[] { await ChangesAfterAsync(start), await ChangesAfterAsync(added) })
        {
            Assert.NotEmpty(changes);
            Assert.All(changes, c => Assert.Equal((StoreChangeKind.ReservedChanged, null), (c.Kind, c.Pool)));
        }
    }

    [Fact]
    public async Task Read_only_calls_journal_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        await CommitAsync(Record(pool, "172.20.1.10"));
        await Store.AddReservedAsync([ReservedA], None);
        long revision = await Store.CurrentRevisionAsync(None);

        await Store.PingAsync(None);
        await Store.ListPoolsAsync(None);
        await Store.GetPoolAsync(pool.Name, None);
        await Store.ListReservedAsync(None);
        await Store.GetAttachmentAsync(Attachment(), None);
        await Store.ListAllocationsAsync(new AllocationFilter(pool.Name, "node1", "underlay"), None);
        await Store.CountAllocationsByPoolAsync(None);
        await Store.ReadChangesAsync(0, None);

        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task A_second_store_on_the_same_backing_sees_the_first_ones_writes()
    {
        IIpamStore second = await OpenAsync();
        long revision = await second.CurrentRevisionAsync(None);

        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        AllocationRecord record = Record(pool, "172.20.1.10");
        await CommitAsync(record);
        await Store.AddReservedAsync([ReservedA], None);

        List<StoreChange> changes = await ChangesAfterAsync(revision, second);

        Assert.Equal(
            [PoolsChanged("p"), Added("p", "172.20.1.10")],
            changes.Where(c => c.Kind != StoreChangeKind.ReservedChanged).Select(c => (c.Kind, c.Pool, c.Address?.ToString())));
        Assert.Contains(changes, c => c.Kind == StoreChangeKind.ReservedChanged);
        Assert.Equal(await Store.CurrentRevisionAsync(None), await second.CurrentRevisionAsync(None));
        StoreAssert.SamePool(pool, await second.GetPoolAsync("p", None));
        StoreAssert.SameRecords([record], await second.ListAllocationsAsync(AllocationFilter.All, None));
        Assert.Equal([ReservedA], await second.ListReservedAsync(None));
    }

    [Fact]
    public async Task A_store_opened_again_finds_everything_written_before()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        AllocationRecord record = Record(pool, "172.20.1.10");
        await CommitAsync(record);
        long revision = await Store.CurrentRevisionAsync(None);

        IIpamStore reopened = await ReopenAsync(Store);

        PoolSpec? read = await reopened.GetPoolAsync("p", None);
        StoreAssert.SamePool(pool, read);
        Assert.Equal(pool.Generation, read.Generation);
        StoreAssert.SameRecords([record], await reopened.GetAttachmentAsync(Attachment(), None));
        Assert.Equal(revision, await reopened.CurrentRevisionAsync(None));
    }
}
