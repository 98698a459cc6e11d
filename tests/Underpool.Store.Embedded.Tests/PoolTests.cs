using System.Reflection;
using Underpool.Core.Pools;
using Underpool.Store.Contract;

namespace Underpool.Store.Embedded.Tests;

/// <summary>What the SQLite store does with pools beyond the contract (see <see cref="SqliteStoreContractTests"/>).</summary>
public sealed class PoolTests : StoreFixture
{
    [Fact]
    public async Task A_pool_with_only_required_fields_reads_back_with_the_defaults()
    {
        PoolSpec pool = SamplePools.Minimal("plain", "10.9.0.0/16");

        await Store.CreatePoolAsync(pool, 0, None);
        PoolSpec? read = await Store.GetPoolAsync("plain", None);

        StoreAssert.SamePool(pool, read);
        Assert.Same(NodeAffinity.Any, read.Affinity);
    }

    [Fact]
    public async Task Listing_returns_every_pool_by_name_with_the_pools_revision()
    {
        await Store.CreatePoolAsync(SamplePools.V6("b"), 0, None);
        await Store.CreatePoolAsync(SamplePools.V4("a"), 1, None);

        PoolsSnapshot snapshot = await Store.ListPoolsAsync(None);

        Assert.Equal(["a", "b"], snapshot.Pools.Select(p => p.Name));
        StoreAssert.SamePool(SamplePools.V4("a"), snapshot.Pools[0]);
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
    public void The_stored_pool_document_knows_every_PoolSpec_property()
    {
        // A property added to PoolSpec must be added to PoolSpecDocument and PoolSpecJson too, or it is lost on write.
        // (Generation is the store's own: it lives in its own column, not in the document.)
        string[] known = ["Name", "Subnet", "Ranges", "Exclude", "Gateway", "Routes", "Vlan", "Affinity", "IsDefault", "Disabled", "Probe", "CheckGateway", "Parent", "App", "Keep", "Family", "Generation"];

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
