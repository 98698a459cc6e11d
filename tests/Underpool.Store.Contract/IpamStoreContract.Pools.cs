using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// Pools: create, read, delete, and the guards on each.
public abstract partial class IpamStoreContract
{
    [Fact]
    public async Task A_created_IPv4_pool_reads_back_with_every_field_and_a_generation_from_the_store()
    {
        PoolSpec pool = SamplePools.V4();

        Assert.Equal(PoolCreateStatus.Created, await Store.CreatePoolAsync(pool, (await Store.ListPoolsAsync(None)).Revision, None));
        PoolSpec? read = await Store.GetPoolAsync(pool.Name, None);

        StoreAssert.SamePool(pool, read);
        Assert.True(read.Generation > 0, $"generation {read.Generation}");
    }

    [Fact]
    public async Task A_created_IPv6_pool_reads_back_with_every_field()
    {
        PoolSpec pool = SamplePools.V6();

        StoreAssert.SamePool(pool, await CreatePoolAsync(pool));
    }

    [Fact]
    public async Task A_pool_with_only_the_required_fields_reads_back_with_the_defaults()
    {
        PoolSpec pool = SamplePools.Minimal("plain", "10.9.0.0/16");

        PoolSpec read = await CreatePoolAsync(pool);

        StoreAssert.SamePool(pool, read);
        Assert.True(read.Affinity.IsAny);
    }

    [Fact]
    public async Task An_unknown_pool_reads_as_null()
    {
        Assert.Null(await Store.GetPoolAsync("nope", None));
    }

    [Fact]
    public async Task Listing_pools_returns_every_pool_as_reading_it_does()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4("a"));
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6("b"));

        PoolsSnapshot snapshot = await Store.ListPoolsAsync(None);

        Assert.Equal(["a", "b"], snapshot.Pools.Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (PoolSpec stored in new[] { v4, v6 })
        {
            PoolSpec listed = snapshot.Pools.Single(p => p.Name == stored.Name);
            StoreAssert.SamePool(stored, listed);
            Assert.Equal(stored.Generation, listed.Generation);
        }
    }

    [Fact]
    public async Task A_pool_deleted_and_created_again_under_the_same_name_has_another_generation()
    {
        PoolSpec first = await CreatePoolAsync(SamplePools.V4("p"));
        await Store.DeletePoolAsync("p", force: false, None);

        PoolSpec second = await CreatePoolAsync(SamplePools.V4("p"));

        Assert.NotEqual(first.Generation, second.Generation);
        Assert.True(second.Generation > 0, $"generation {second.Generation}");
    }

    [Fact]
    public async Task Creating_a_pool_against_a_pools_revision_that_has_moved_on_is_Stale_and_creates_nothing()
    {
        long validatedAt = (await Store.ListPoolsAsync(None)).Revision;
        await CreatePoolAsync(SamplePools.V4("first"));
        PoolsSnapshot before = await Store.ListPoolsAsync(None);
        long revision = await Store.CurrentRevisionAsync(None);

        PoolCreateStatus status = await Store.CreatePoolAsync(SamplePools.V6("second"), validatedAt, None);

        Assert.Equal(PoolCreateStatus.Stale, status);
        Assert.Null(await Store.GetPoolAsync("second", None));
        PoolsSnapshot after = await Store.ListPoolsAsync(None);
        Assert.Equal(["first"], after.Pools.Select(p => p.Name));
        Assert.Equal(before.Revision, after.Revision);
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task Creating_a_pool_under_a_taken_name_is_NameTaken_and_keeps_the_first()
    {
        PoolSpec first = await CreatePoolAsync(SamplePools.V4("p"));
        long revision = await Store.CurrentRevisionAsync(None);

        PoolCreateStatus status = await Store.CreatePoolAsync(SamplePools.V6("p"), (await Store.ListPoolsAsync(None)).Revision, None);

        Assert.Equal(PoolCreateStatus.NameTaken, status);
        PoolSpec? kept = await Store.GetPoolAsync("p", None);
        StoreAssert.SamePool(SamplePools.V4("p"), kept);
        Assert.Equal(first.Generation, kept.Generation);
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task Deleting_an_empty_pool_removes_it_and_moves_the_pools_revision_on()
    {
        await CreatePoolAsync(SamplePools.V4("p"));
        await CreatePoolAsync(SamplePools.V6("kept"));
        long poolsRevision = (await Store.ListPoolsAsync(None)).Revision;

        PoolDeleteOutcome outcome = await Store.DeletePoolAsync("p", force: false, None);

        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.Deleted, 0), outcome);
        Assert.Null(await Store.GetPoolAsync("p", None));
        PoolsSnapshot after = await Store.ListPoolsAsync(None);
        Assert.Equal(["kept"], after.Pools.Select(p => p.Name));
        Assert.NotEqual(poolsRevision, after.Revision);
    }

    [Fact]
    public async Task Deleting_an_unknown_pool_is_NotFound_and_writes_nothing()
    {
        long revision = await Store.CurrentRevisionAsync(None);

        PoolDeleteOutcome outcome = await Store.DeletePoolAsync("nope", force: true, None);

        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.NotFound, 0), outcome);
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task Deleting_a_pool_in_use_without_force_is_InUse_with_the_count_and_deletes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        AllocationRecord[] records = [Record(pool, "172.20.1.10"), Record(pool, "172.20.1.11", Attachment("c2"))];
        await CommitAsync(records[0]);
        await CommitAsync(records[1]);
        long poolsRevision = (await Store.ListPoolsAsync(None)).Revision;
        long revision = await Store.CurrentRevisionAsync(None);

        PoolDeleteOutcome outcome = await Store.DeletePoolAsync("p", force: false, None);

        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.InUse, 2), outcome);
        StoreAssert.SamePool(pool, await Store.GetPoolAsync("p", None));
        StoreAssert.SameRecords(records, await Store.ListAllocationsAsync(AllocationFilter.All, None));
        Assert.Equal(poolsRevision, (await Store.ListPoolsAsync(None)).Revision);
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task Force_deleting_a_pool_releases_every_attachment_holding_one_of_its_addresses_in_full()
    {
        AllocationRecord[] unrelated = await CommitForceDeleteSamplesAsync();

        PoolDeleteOutcome outcome = await Store.DeletePoolAsync("p", force: true, None);

        // The dual-stack attachment loses its IPv6 address too: never half an attachment. The count is every address.
        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.Deleted, 2), outcome);
        Assert.Null(await Store.GetPoolAsync("p", None));
        Assert.Empty(await Store.GetAttachmentAsync(Attachment(), None));
        StoreAssert.SameRecords(unrelated, await Store.ListAllocationsAsync(AllocationFilter.All, None));
        Assert.NotNull(await Store.GetPoolAsync("other", None));
    }

    [Fact]
    public async Task Force_deleting_a_pool_journals_each_released_address_and_the_pool_change()
    {
        await CommitForceDeleteSamplesAsync();
        long revision = await Store.CurrentRevisionAsync(None);

        await Store.DeletePoolAsync("p", force: true, None);

        Assert.Equal(
            InAnyOrder([Removed("p", "172.20.1.10"), Removed("other", "fd00:20:1::10"), PoolsChanged("p")]),
            InAnyOrder(await JournalAfterAsync(revision)));
    }

    /// <summary>Pool p to delete; attachment c1 dual-stack in p and "other"; c2 in "other" and c3 in "bystander",
    /// which a delete of p must leave (returned).</summary>
    private async Task<AllocationRecord[]> CommitForceDeleteSamplesAsync()
    {
        PoolSpec deleted = await CreatePoolAsync(SamplePools.V4("p"));
        PoolSpec other = await CreatePoolAsync(SamplePools.V6("other"));
        PoolSpec bystander = await CreatePoolAsync(SamplePools.Minimal("bystander", "fd00:30::/64"));
        await CommitAsync(Record(deleted, "172.20.1.10"), Record(other, "fd00:20:1::10"));
        AllocationRecord[] unrelated = [Record(other, "fd00:20:1::11", Attachment("c2")), Record(bystander, "fd00:30::10", Attachment("c3"))];
        await CommitAsync(unrelated[0]);
        await CommitAsync(unrelated[1]);
        return unrelated;
    }
}
