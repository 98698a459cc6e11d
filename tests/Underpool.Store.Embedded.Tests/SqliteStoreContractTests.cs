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
}
