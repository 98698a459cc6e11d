using Microsoft.Data.Sqlite;
using Underpool.Store.Contract;

namespace Underpool.Store.Embedded.Tests;

/// <summary>The store contract on SQLite: one data directory per test, shared by every store the test opens.</summary>
public sealed class SqliteStoreContractTests : IpamStoreContract
{
    private readonly TempDirectory _directory = new();

    protected override Task<IIpamStore> OpenStoreAsync() => InitializedAsync(new SqliteIpamStore(_directory.Path));

    protected override Task DeleteBackingAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Another process's connection (another agent on the host) holds the write lock past the busy timeout
    /// (1 s here instead of 5, so the test does not wait long).</summary>
    protected override async Task<(IIpamStore Store, IAsyncDisposable Ends)> MakeUnavailableAsync()
    {
        var store = new SqliteIpamStore(_directory.Path, journalKeep: 50_000, journalPruneEvery: 1_000, busyTimeout: TimeSpan.FromSeconds(1));
        await InitializedAsync(store);
        SqliteConnection holder = RawDatabase.Open(_directory.Path);
        using (SqliteCommand begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        return (store, new Both(holder, store));
    }

    /// <summary>Ends the lock, then closes the store that met it.</summary>
    private sealed class Both(IAsyncDisposable first, IAsyncDisposable second) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }
}
