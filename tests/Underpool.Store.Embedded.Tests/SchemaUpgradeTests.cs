using Microsoft.Data.Sqlite;
using Underpool.Core.Pools;
using Underpool.Store.Contract;

namespace Underpool.Store.Embedded.Tests;

/// <summary>A file written by an earlier build (before static endpoints, before recorded MACs) is brought up in place,
/// its rows kept.</summary>
public sealed class SchemaUpgradeTests : StoreFixture
{
    [Fact]
    public async Task A_file_without_the_static_endpoint_columns_gets_them_and_keeps_its_allocations()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord record = SampleRecords.Record(pool, "172.20.1.10");
        Assert.Equal(CommitStatus.Committed, (await Store.TryCommitAsync([record], None)).Status);
        await Store.DisposeAsync();
        await DropColumnsAsync("allocations", "static", "runtime_container", "owner_kind", "owner_name", "mac");

        SqliteIpamStore upgraded = await OpenAsync();

        StoreAssert.SameRecords([record], await upgraded.ListAllocationsAsync(AllocationFilter.All, None));
        AllocationRecord staticRecord = SampleRecords.Record(pool, "172.20.1.11", SampleRecords.Attachment("c2")) with { Static = true, RuntimeContainerId = "c2" };
        Assert.Equal(CommitStatus.Committed, (await upgraded.TryCommitAsync([staticRecord], None)).Status);
        StoreAssert.SameRecords([staticRecord], await upgraded.GetAttachmentAsync(staticRecord.Attachment, None));
    }

    [Fact]
    public async Task A_file_without_the_mac_columns_gets_them_and_keeps_its_nodes_and_allocations()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord record = SampleRecords.Record(pool, "172.20.1.10");
        Assert.Equal(CommitStatus.Committed, (await Store.TryCommitAsync([record], None)).Status);
        await Store.HeartbeatNodeAsync("node1", new Dictionary<string, string> { ["rack"] = "a" }, [], TimeSpan.FromMinutes(5), None);
        await Store.DisposeAsync();
        await DropColumnsAsync("allocations", "mac");
        await DropColumnsAsync("nodes", "uplink_macs");

        SqliteIpamStore upgraded = await OpenAsync();

        StoreAssert.SameRecords([record], await upgraded.ListAllocationsAsync(AllocationFilter.All, None));
        NodeRecord node = Assert.Single(await upgraded.ListNodesAsync(None));
        Assert.Equal(("node1", "a"), (node.Name, node.Labels["rack"]));
        Assert.Empty(node.UplinkMacs);
        await upgraded.HeartbeatNodeAsync("node1", node.Labels, ["02:00:00:00:00:01"], TimeSpan.FromMinutes(5), None);
        Assert.Equal(["02:00:00:00:00:01"], Assert.Single(await upgraded.ListNodesAsync(None)).UplinkMacs);
        Assert.True(await upgraded.ReplaceAttachmentAsync([record], [record with { Mac = "02:00:00:00:00:02" }], None));
        Assert.Equal("02:00:00:00:00:02", (await upgraded.GetAllocationAsync(pool.Name, record.Address, None))?.Mac);
    }

    private async Task<PoolSpec> CreatePoolAsync(PoolSpec pool)
    {
        Assert.Equal(PoolCreateStatus.Created, await Store.CreatePoolAsync(pool, (await Store.ListPoolsAsync(None)).Revision, None));
        return (await Store.GetPoolAsync(pool.Name, None))!;
    }

    /// <summary>Makes the file look like one written before the columns of <paramref name="table"/> existed.</summary>
    private async Task DropColumnsAsync(string table, params string[] columns)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, SqliteIpamStore.FileName)};Pooling=False");
        await connection.OpenAsync();
        foreach (string column in columns)
        {
            using SqliteCommand drop = connection.CreateCommand();
#pragma warning disable CA2100 // Table and column names are the constants above.
            drop.CommandText = $"ALTER TABLE {table} DROP COLUMN {column}";
#pragma warning restore CA2100
            await drop.ExecuteNonQueryAsync();
        }
    }
}
