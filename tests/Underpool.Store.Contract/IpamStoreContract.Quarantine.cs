using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// Quarantine: addresses another host answered for; like reserved ones, no pool may hand them out.
public abstract partial class IpamStoreContract
{
    private static QuarantineRecord Conflict(string address, string mac = "02:42:ac:14:01:3c", string pool = "rack1-v4") => new()
    {
        Address = IpAddress.Parse(address),
        Pool = pool,
        Mac = mac,
        Node = "node1",
        Interface = "eth0",
        DetectedAt = Created,
    };

    [Fact]
    public async Task Quarantining_an_address_returns_true_once_and_lists_the_record_exactly()
    {
        QuarantineRecord v4 = Conflict("172.20.1.10");
        QuarantineRecord v6 = Conflict("fd00:20:1::10", "02:42:ac:14:01:3d", "rack1-v6");

        Assert.True(await Store.QuarantineAsync(v4, None));
        Assert.True(await Store.QuarantineAsync(v6, None));
        Assert.False(await Store.QuarantineAsync(v4, None));

        IReadOnlyList<QuarantineRecord> listed = await (await OpenAsync()).ListQuarantineAsync(None);
        Assert.Equal([v4, v6], listed.OrderBy(r => r.Address));
        Assert.Equal(Created.UtcTicks, listed.Single(r => r.Address == v4.Address).DetectedAt.UtcTicks);
    }

    [Fact]
    public async Task Quarantining_an_address_again_with_another_mac_replaces_its_record()
    {
        await Store.QuarantineAsync(Conflict("172.20.1.10"), None);
        QuarantineRecord again = Conflict("172.20.1.10", "02:00:00:00:00:99") with { DetectedAt = Created.AddMinutes(5) };

        Assert.False(await Store.QuarantineAsync(again, None));

        Assert.Equal([again], await Store.ListQuarantineAsync(None));
    }

    [Fact]
    public async Task Removing_from_quarantine_returns_whether_the_address_was_there()
    {
        await Store.QuarantineAsync(Conflict("172.20.1.10"), None);

        Assert.False(await Store.RemoveQuarantineAsync(IpAddress.Parse("172.20.1.11"), None));
        Assert.True(await Store.RemoveQuarantineAsync(IpAddress.Parse("172.20.1.10"), None));
        Assert.False(await Store.RemoveQuarantineAsync(IpAddress.Parse("172.20.1.10"), None));
        Assert.Empty(await Store.ListQuarantineAsync(None));
    }

    [Fact]
    public async Task Quarantine_changes_are_journalled_with_their_address_and_no_ops_are_not()
    {
        long start = await Store.CurrentRevisionAsync(None);
        await Store.QuarantineAsync(Conflict("172.20.1.10"), None);
        await Store.QuarantineAsync(Conflict("172.20.1.10"), None);
        await Store.RemoveQuarantineAsync(IpAddress.Parse("172.20.1.99"), None);
        await Store.RemoveQuarantineAsync(IpAddress.Parse("172.20.1.10"), None);

        List<StoreChange> changes = await ChangesAfterAsync(start);

        Assert.Equal(
            [(StoreChangeKind.QuarantineChanged, "172.20.1.10"), (StoreChangeKind.QuarantineChanged, "172.20.1.10")],
            changes.Select(c => (c.Kind, c.Address?.ToString())));
    }

    [Fact]
    public async Task A_commit_of_a_quarantined_address_is_stale_and_writes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        await Store.QuarantineAsync(Conflict("172.20.1.10"), None);
        long revision = await Store.CurrentRevisionAsync(None);

        CommitOutcome outcome = await Store.TryCommitAsync([Record(pool, "172.20.1.10")], None);

        Assert.Equal(CommitStatus.Stale, outcome.Status);
        Assert.Empty(await Store.GetAttachmentAsync(Attachment(), None));
        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task A_freed_address_can_be_committed_again()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        await Store.QuarantineAsync(Conflict("172.20.1.10"), None);
        await Store.RemoveQuarantineAsync(IpAddress.Parse("172.20.1.10"), None);

        await CommitAsync(Record(pool, "172.20.1.10"));
    }
}
