using Microsoft.Data.Sqlite;
using Underpool.Core.Pools;
using Underpool.Store.Contract;

namespace Underpool.Store.Embedded.Tests;

/// <summary>A file written by an earlier build (before static endpoints) is brought up in place, its rows kept.</summary>
public sealed class SchemaUpgradeTests : StoreFixture
{
    [Fact]
    public async Task A_file_without_the_static_endpoint_columns_gets_them_and_keeps_its_allocations()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord record = SampleRecords.Record(pool, "172.20.1.10");
        Assert.Equal(CommitStatus.Committed, (await Store.TryCommitAsync([record], None)).Status);
        await Store.DisposeAsync();
        await DropColumnsAsync("static", "runtime_container", "owner_kind", "owner_name");

        SqliteIpamStore upgraded = await OpenAsync();

        StoreAssert.SameRecords([record], await upgraded.ListAllocationsAsync(AllocationFilter.All, None));
        AllocationRecord staticRecord = SampleRecords.Record(pool, "172.20.1.11", SampleRecords.Attachment("c2")) with { Static = true, RuntimeContainerId = "c2" };
        Assert.Equal(CommitStatus.Committed, (await upgraded.TryCommitAsync([staticRecord], None)).Status);
        StoreAssert.SameRecords([staticRecord], await upgraded.GetAttachmentAsync(staticRecord.Attachment, None));
    }

    private async Task<PoolSpec> CreatePoolAsync(PoolSpec pool)
    {
        Assert.Equal(PoolCreateStatus.Created, await Store.CreatePoolAsync(pool, (await Store.ListPoolsAsync(None)).Revision, None));
        return (await Store.GetPoolAsync(pool.Name, None))!;
    }

    /// <summary>Makes the file look like one written before the columns existed.</summary>
    private async Task DropColumnsAsync(params string[] columns)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, SqliteIpamStore.FileName)};Pooling=False");
        await connection.OpenAsync();
        foreach (string column in columns)
        {
            using SqliteCommand drop = connection.CreateCommand();
#pragma warning disable CA2100 // Column names are the constants above.
            drop.CommandText = $"ALTER TABLE allocations DROP COLUMN {column}";
#pragma warning restore CA2100
            await drop.ExecuteNonQueryAsync();
        }
    }
}
