using System.Reflection;
using Underpool.Core.Pools;

namespace Underpool.Store.Embedded.Tests;

public sealed class PoolTests : StoreFixture
{
    [Fact]
    public async Task An_IPv4_pool_with_every_field_set_reads_back_exactly()
    {
        PoolSpec pool = Samples.V4();

        Assert.Equal(PoolCreateStatus.Created, await Store.CreatePoolAsync(pool, 0, None));

        Samples.AssertSamePool(pool, await Store.GetPoolAsync(pool.Name, None));
    }

    [Fact]
    public async Task An_IPv6_pool_reads_back_exactly()
    {
        PoolSpec pool = Samples.V6();

        await Store.CreatePoolAsync(pool, 0, None);

        Samples.AssertSamePool(pool, await Store.GetPoolAsync(pool.Name, None));
    }

    [Fact]
    public async Task A_pool_with_only_required_fields_reads_back_with_the_defaults()
    {
        PoolSpec pool = Samples.Minimal("plain", "10.9.0.0/16");

        await Store.CreatePoolAsync(pool, 0, None);
        PoolSpec? read = await Store.GetPoolAsync("plain", None);

        Samples.AssertSamePool(pool, read);
        Assert.Same(NodeAffinity.Any, read!.Affinity);
    }

    [Fact]
    public async Task An_unknown_pool_reads_as_null()
    {
        Assert.Null(await Store.GetPoolAsync("nope", None));
    }

    [Fact]
    public async Task Listing_returns_every_pool_by_name_with_the_pools_revision()
    {
        await Store.CreatePoolAsync(Samples.V6("b"), 0, None);
        await Store.CreatePoolAsync(Samples.V4("a"), 1, None);

        PoolsSnapshot snapshot = await Store.ListPoolsAsync(None);

        Assert.Equal(["a", "b"], snapshot.Pools.Select(p => p.Name));
        Samples.AssertSamePool(Samples.V4("a"), snapshot.Pools[0]);
        Assert.Equal(2, snapshot.Revision);
    }

    [Fact]
    public async Task A_new_store_lists_no_pools_at_revision_zero()
    {
        PoolsSnapshot snapshot = await Store.ListPoolsAsync(None);

        Assert.Empty(snapshot.Pools);
        Assert.Equal(0, snapshot.Revision);
    }

    [Fact]
    public async Task Creating_a_pool_under_a_taken_name_is_NameTaken_and_keeps_the_first()
    {
        await Store.CreatePoolAsync(Samples.V4("p"), 0, None);

        PoolCreateStatus status = await Store.CreatePoolAsync(Samples.V6("p"), 1, None);

        Assert.Equal(PoolCreateStatus.NameTaken, status);
        Samples.AssertSamePool(Samples.V4("p"), await Store.GetPoolAsync("p", None));
    }

    [Fact]
    public async Task Creating_a_pool_against_an_old_pools_revision_is_Stale_and_writes_nothing()
    {
        await Store.CreatePoolAsync(Samples.V4("first"), 0, None);

        PoolCreateStatus status = await Store.CreatePoolAsync(Samples.V6("second"), 0, None);

        Assert.Equal(PoolCreateStatus.Stale, status);
        PoolsSnapshot snapshot = await Store.ListPoolsAsync(None);
        Assert.Equal(["first"], snapshot.Pools.Select(p => p.Name));
        Assert.Equal(1, snapshot.Revision);
    }

    [Fact]
    public async Task Deleting_an_empty_pool_removes_it_and_bumps_the_pools_revision()
    {
        await Store.CreatePoolAsync(Samples.V4("p"), 0, None);

        PoolDeleteOutcome outcome = await Store.DeletePoolAsync("p", force: false, None);

        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.Deleted, 0), outcome);
        Assert.Null(await Store.GetPoolAsync("p", None));
        Assert.Equal(2, (await Store.ListPoolsAsync(None)).Revision);
    }

    [Fact]
    public async Task Deleting_a_pool_in_use_without_force_is_refused_and_changes_nothing()
    {
        await Store.CreatePoolAsync(Samples.V4("p"), 0, None);
        await Store.TryCommitAsync([Samples.Record("p", "172.20.1.10"), Samples.Record("p", "172.20.1.11")], None);
        long revision = await Store.CurrentRevisionAsync(None);

        PoolDeleteOutcome outcome = await Store.DeletePoolAsync("p", force: false, None);

        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.InUse, 2), outcome);
        Assert.NotNull(await Store.GetPoolAsync("p", None));
        Assert.Equal(2, (await Store.ListAllocationsAsync(AllocationFilter.All, None)).Count);
        Assert.Equal(revision, await Store.CurrentRevisionAsync(None));
        Assert.Equal(1, (await Store.ListPoolsAsync(None)).Revision);
    }

    [Fact]
    public async Task Force_deleting_a_pool_releases_whole_attachments_and_journals_each_address()
    {
        await Store.CreatePoolAsync(Samples.V4("p"), 0, None);
        await Store.CreatePoolAsync(Samples.V6("other"), 1, None);
        await Store.CreatePoolAsync(Samples.Minimal("bystander", "fd00:30::/64"), 2, None);
        CommitOutcome dual = await Store.TryCommitAsync(
            [Samples.Record("p", "172.20.1.10", generation: 1), Samples.Record("other", "fd00:20:1::10", generation: 2)], None);
        CommitOutcome alone = await Store.TryCommitAsync(
            [Samples.Record("bystander", "fd00:30::10", Samples.Attachment("c2"), generation: 3)], None);
        Assert.Equal((CommitStatus.Committed, CommitStatus.Committed), (dual.Status, alone.Status));
        long before = await Store.CurrentRevisionAsync(None);

        PoolDeleteOutcome outcome = await Store.DeletePoolAsync("p", force: true, None);

        // The dual-stack attachment loses its IPv6 address too: never half an attachment.
        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.Deleted, 2), outcome);
        Assert.Null(await Store.GetPoolAsync("p", None));
        Assert.Equal(["bystander"], (await Store.ListAllocationsAsync(AllocationFilter.All, None)).Select(a => a.Pool));
        StoreChangeBatch changes = await Store.ReadChangesAsync(before, None);
        Assert.Equal(
            [
                (StoreChangeKind.AllocationRemoved, "p", "172.20.1.10"),
                (StoreChangeKind.AllocationRemoved, "other", "fd00:20:1::10"),
                (StoreChangeKind.PoolsChanged, "p", null),
            ],
            changes.Changes.Select(c => (c.Kind, c.Pool, c.Address?.ToString())));
    }

    [Fact]
    public async Task Deleting_an_unknown_pool_is_NotFound()
    {
        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.NotFound, 0), await Store.DeletePoolAsync("nope", force: true, None));
    }

    [Fact]
    public void The_stored_pool_document_knows_every_PoolSpec_property()
    {
        // A property added to PoolSpec must be added to PoolSpecDocument and PoolSpecJson too, or it is lost on write.
        // (Generation is the store's own: it lives in its own column, not in the document.)
        string[] known = ["Name", "Subnet", "Ranges", "Exclude", "Gateway", "Routes", "Vlan", "Affinity", "IsDefault", "Disabled", "Family", "Generation"];

        string[] actual = typeof(PoolSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => p.Name)
            .ToArray();

        Assert.Equal(known.Order(), actual.Order());
        Assert.Equal(
            new[] { "IsAny", "NodeNames", "NodeSelector" },
            typeof(NodeAffinity).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order());
    }
}
