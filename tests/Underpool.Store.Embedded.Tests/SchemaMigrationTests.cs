using Underpool.Core.Net;

namespace Underpool.Store.Embedded.Tests;

/// <summary>A data directory written by an older build is brought up to this build's schema on start.</summary>
public sealed class SchemaMigrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_version_1_file_gains_the_quarantine_table_and_keeps_its_reserved_addresses()
    {
        await using (var first = new SqliteIpamStore(_directory.Path))
        {
            await first.InitializeAsync(CancellationToken.None);
            await first.AddReservedAsync([IpAddress.Parse("172.20.1.7")], CancellationToken.None);
        }

        // What version 1 looked like: no quarantine table, schema_version 1.
        RawDatabase.Execute(_directory.Path, "DROP TABLE quarantine; UPDATE meta SET value = 1 WHERE key = 'schema_version'");

        await using var store = new SqliteIpamStore(_directory.Path);
        await store.InitializeAsync(CancellationToken.None);

        Assert.True(await store.QuarantineAsync(
            new QuarantineRecord
            {
                Address = IpAddress.Parse("172.20.1.10"),
                Pool = "p",
                Mac = "02:00:00:00:00:01",
                Node = "n1",
                Interface = "eth0",
                DetectedAt = DateTimeOffset.UnixEpoch,
            },
            CancellationToken.None));
        Assert.Equal([IpAddress.Parse("172.20.1.7")], await store.ListReservedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_file_from_before_incremental_vacuum_is_converted_once_and_keeps_its_records()
    {
        await using (var first = new SqliteIpamStore(_directory.Path))
        {
            await first.InitializeAsync(CancellationToken.None);
            await first.AddReservedAsync([IpAddress.Parse("172.20.1.7")], CancellationToken.None);
        }

        // What earlier builds wrote: no auto-vacuum, so freed pages stayed in the file for good.
        RawDatabase.Execute(_directory.Path, "PRAGMA auto_vacuum = NONE; VACUUM");
        Assert.Equal(0L, RawDatabase.Scalar(_directory.Path, "PRAGMA auto_vacuum"));

        await using var store = new SqliteIpamStore(_directory.Path);
        await store.InitializeAsync(CancellationToken.None);

        Assert.Equal(2L, RawDatabase.Scalar(_directory.Path, "PRAGMA auto_vacuum")); // INCREMENTAL
        Assert.Equal([IpAddress.Parse("172.20.1.7")], await store.ListReservedAsync(CancellationToken.None));
    }

    public void Dispose() => _directory.Dispose();
}
