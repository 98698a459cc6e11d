namespace Underpool.Store.Contract;

// Leader leases: one agent of many does the cluster-wide chores (reclaiming dead nodes).
public abstract partial class IpamStoreContract
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_free_lease_is_taken_renewed_by_its_holder_and_refused_to_another_through_any_store()
    {
        IIpamStore other = await OpenAsync();

        Assert.True(await Store.TryHoldLeaseAsync("reaper", "node1", LeaseTtl, None));
        Assert.True(await Store.TryHoldLeaseAsync("reaper", "node1", LeaseTtl, None));
        Assert.False(await other.TryHoldLeaseAsync("reaper", "node2", LeaseTtl, None));
        Assert.True(await other.TryHoldLeaseAsync("another-chore", "node2", LeaseTtl, None));
    }

    [Fact]
    public async Task A_lease_whose_holder_stops_renewing_goes_to_another_once_its_ttl_passes()
    {
        IIpamStore other = await OpenAsync();
        Assert.True(await Store.TryHoldLeaseAsync("reaper", "node1", TimeSpan.FromSeconds(1), None));

        // etcd rounds a lease up to its minimum ttl: wait on the condition, with a deadline.
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        bool taken;
        while (!(taken = await other.TryHoldLeaseAsync("reaper", "node2", LeaseTtl, None)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(taken);
        Assert.False(await Store.TryHoldLeaseAsync("reaper", "node1", LeaseTtl, None));
    }

    [Fact]
    public async Task Leases_journal_nothing_and_refuse_an_empty_name_or_holder()
    {
        long revision = await Store.CurrentRevisionAsync(None);

        await Store.TryHoldLeaseAsync("reaper", "node1", LeaseTtl, None);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.TryHoldLeaseAsync("", "node1", LeaseTtl, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.TryHoldLeaseAsync("reaper", " ", LeaseTtl, None));

        await AssertNothingJournalledSinceAsync(revision);
    }
}
