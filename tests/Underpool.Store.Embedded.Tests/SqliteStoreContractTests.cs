using Underpool.Store.Contract;

namespace Underpool.Store.Embedded.Tests;

/// <summary>The store contract on SQLite: one data directory per test, shared by every store the test opens.</summary>
public sealed class SqliteStoreContractTests : IpamStoreContract
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IIpamStore> OpenStoreAsync()
    {
        var store = new SqliteIpamStore(_directory.Path);
        try
        {
            await store.InitializeAsync(None);
            return store;
        }
        catch
        {
            // Not handed to the fixture yet, so it is ours to dispose.
            await store.DisposeAsync();
            throw;
        }
    }

    protected override Task DeleteBackingAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
