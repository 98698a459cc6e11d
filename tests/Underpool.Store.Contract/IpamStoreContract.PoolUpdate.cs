using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// Updating a pool in place (an application pool resized): a new generation, so picks from the old spec go stale.
public abstract partial class IpamStoreContract
{
    [Fact]
    public async Task Updating_a_pool_stores_the_new_spec_under_a_new_generation_and_journals_it()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        PoolSpec changed = pool with { Ranges = [IpRange.Parse("172.20.1.10-172.20.1.20")], App = "shop/web", Parent = "q", Keep = true };
        long revision = await Store.CurrentRevisionAsync(None);

        Assert.Equal(PoolUpdateStatus.Updated, await Store.UpdatePoolAsync(changed, pool.Generation, None));

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
        Assert.Equal(PoolUpdateStatus.Updated, await Store.UpdatePoolAsync(pool with { Disabled = true }, pool.Generation, None));

        CommitOutcome outcome = await Store.TryCommitAsync([Record(pool, "172.20.1.10")], None);

        Assert.Equal(CommitStatus.Stale, outcome.Status);
        Assert.Empty(await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Updating_from_an_old_generation_or_an_unknown_pool_changes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4("p"));
        Assert.Equal(PoolUpdateStatus.Updated, await Store.UpdatePoolAsync(pool with { Vlan = 7 }, pool.Generation, None));
        long revision = await Store.CurrentRevisionAsync(None);

        Assert.Equal(PoolUpdateStatus.Stale, await Store.UpdatePoolAsync(pool with { Vlan = 9 }, pool.Generation, None));
        Assert.Equal(PoolUpdateStatus.NotFound, await Store.UpdatePoolAsync(SamplePools.V4("nope"), 1, None));

        Assert.Equal(7, (await Store.GetPoolAsync("p", None))!.Vlan);
        await AssertNothingJournalledSinceAsync(revision);
    }
}
