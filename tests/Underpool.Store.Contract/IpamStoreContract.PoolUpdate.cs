using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// Updating a pool in place (an application pool resized, pool update): a new generation, so picks from the old spec go
// stale; the guard's pool set revision and must-be-free addresses are checked in the same transaction.
public abstract partial class IpamStoreContract
{
    [Fact]
    public async Task Updating_a_pool_stores_the_new_spec_under_a_new_generation_and_journals_it()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        PoolSpec changed = pool with { Ranges = [IpRange.Parse("172.20.1.10-172.20.1.20")], App = "shop/web", Parent = "q", Keep = true };
        long revision = await Store.CurrentRevisionAsync(None);

        Assert.Equal(PoolUpdateStatus.Updated, await Store.UpdatePoolAsync(changed, new PoolUpdateGuard(pool.Generation), None));

        PoolSpec? read = await (await OpenAsync()).GetPoolAsync("p", None);
        StoreAssert.SamePool(changed, read);
        Assert.Equal(("shop/web", "q", true), (read.App, read.Parent, read.Keep));
        Assert.NotEqual(pool.Generation, read.Generation);
        Assert.Equal([PoolsChanged("p")], await JournalAfterAsync(revision));
    }

    [Fact]
    public async Task A_commit_picked_from_the_spec_before_an_update_is_stale()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        Assert.Equal(PoolUpdateStatus.Updated, await Store.UpdatePoolAsync(pool with { Disabled = true }, new PoolUpdateGuard(pool.Generation), None));

        CommitOutcome outcome = await Store.TryCommitAsync([Record(pool, "172.20.1.10")], None);

        Assert.Equal(CommitStatus.Stale, outcome.Status);
        Assert.Empty(await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Updating_from_an_old_generation_or_an_unknown_pool_changes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        Assert.Equal(PoolUpdateStatus.Updated, await Store.UpdatePoolAsync(pool with { Vlan = 7 }, new PoolUpdateGuard(pool.Generation), None));
        long revision = await Store.CurrentRevisionAsync(None);

        Assert.Equal(PoolUpdateStatus.Stale, await Store.UpdatePoolAsync(pool with { Vlan = 9 }, new PoolUpdateGuard(pool.Generation), None));
        Assert.Equal(PoolUpdateStatus.NotFound, await Store.UpdatePoolAsync(SamplePools.V4("nope"), new PoolUpdateGuard(1), None));

        Assert.Equal(7, (await Store.GetPoolAsync("p", None))!.Vlan);
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task An_update_that_must_free_an_allocated_address_is_refused_and_changes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        Assert.Equal(CommitStatus.Committed, (await Store.TryCommitAsync([Record(pool, "172.20.1.12")], None)).Status);
        long revision = await Store.CurrentRevisionAsync(None);
        var guard = new PoolUpdateGuard(pool.Generation) { MustBeFree = [IpAddress.Parse("172.20.1.11"), IpAddress.Parse("172.20.1.12")] };

        PoolUpdateStatus status = await Store.UpdatePoolAsync(pool with { Exclude = [.. pool.Exclude, IpAddress.Parse("172.20.1.12")] }, guard, None);

        Assert.Equal(PoolUpdateStatus.InUse, status);
        Assert.Equal(pool.Generation, (await Store.GetPoolAsync("p", None))!.Generation);
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task An_update_whose_must_be_free_addresses_are_free_is_stored()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        Assert.Equal(CommitStatus.Committed, (await Store.TryCommitAsync([Record(pool, "172.20.1.12")], None)).Status);
        var guard = new PoolUpdateGuard(pool.Generation) { MustBeFree = [IpAddress.Parse("172.20.1.13")] };

        PoolUpdateStatus status = await Store.UpdatePoolAsync(pool with { Exclude = [IpAddress.Parse("172.20.1.13")] }, guard, None);

        Assert.Equal(PoolUpdateStatus.Updated, status);
        Assert.Equal([IpAddress.Parse("172.20.1.13")], (await Store.GetPoolAsync("p", None))!.Exclude);
    }

    [Fact]
    public async Task An_update_checked_against_a_pool_set_that_changed_since_is_stale()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        long seen = (await Store.ListPoolsAsync(None)).Revision;
        await CreatePoolAsync(SamplePools.Minimal("other", "10.9.0.0/24"));

        PoolUpdateStatus status = await Store.UpdatePoolAsync(
            pool with { Vlan = 3 }, new PoolUpdateGuard(pool.Generation) { PoolSetRevision = seen }, None);

        Assert.Equal(PoolUpdateStatus.Stale, status);
        Assert.Equal(120, (await Store.GetPoolAsync("p", None))!.Vlan);
    }

    [Fact]
    public async Task An_update_moves_the_pool_set_revision_so_a_create_checked_before_it_is_stale()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        PoolsSnapshot seen = await Store.ListPoolsAsync(None);
        Assert.Equal(
            PoolUpdateStatus.Updated,
            await Store.UpdatePoolAsync(pool with { Vlan = 3 }, new PoolUpdateGuard(pool.Generation) { PoolSetRevision = seen.Revision }, None));

        Assert.Equal(PoolCreateStatus.Stale, await Store.CreatePoolAsync(SamplePools.Minimal("other", "10.9.0.0/24"), seen.Revision, None));
    }

    [Fact]
    public void A_guard_naming_more_addresses_than_a_transaction_can_check_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoolUpdateGuard(1)
        {
            MustBeFree = Enumerable.Range(1, PoolUpdateGuard.MaxMustBeFree + 1).Select(i => IpAddress.V4((uint)i)).ToArray(),
        });
}
