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

    /// <summary>Another process's connection (another agent on the host) holds the write lock past the busy timeout.</summary>
    protected override Task<(IIpamStore Store, IAsyncDisposable Ends)> MakeUnavailableAsync()
    {
        SqliteConnection holder = RawDatabase.Open(_directory.Path);
        using (SqliteCommand begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        return Task.FromResult<(IIpamStore, IAsyncDisposable)>((Store, holder));
    }
}
