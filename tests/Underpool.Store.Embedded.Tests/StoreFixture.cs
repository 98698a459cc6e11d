using Microsoft.Data.Sqlite;

namespace Underpool.Store.Embedded.Tests;

/// <summary>An initialised store in a fresh directory per test; disposed (and the directory deleted) after it.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly List<SqliteIpamStore> _opened = [];
    private readonly TempDirectory _directory = new();

    protected SqliteIpamStore Store { get; private set; } = null!; // Set in InitializeAsync, before any test runs.

    protected string DataDirectory => _directory.Path;

    protected static CancellationToken None => CancellationToken.None;

    public virtual async Task InitializeAsync() => Store = await OpenAsync();

    public async Task DisposeAsync()
    {
        foreach (SqliteIpamStore store in _opened)
        {
            await store.DisposeAsync();
        }

        _directory.Dispose();
    }

    /// <summary>Another store instance on the same directory (another agent, or the same agent restarted).</summary>
    protected async Task<SqliteIpamStore> OpenAsync(int journalKeep = 50_000, int journalPruneEvery = 1_000, TimeSpan? maintenanceInterval = null)
    {
        var store = new SqliteIpamStore(DataDirectory, journalKeep, journalPruneEvery, maintenanceInterval);
        _opened.Add(store);
        await store.InitializeAsync(None);
        return store;
    }

    /// <summary>A connection that bypasses the store (and its pool), for looking at the file directly.</summary>
    protected SqliteConnection OpenRaw() => RawDatabase.Open(DataDirectory);

    protected long ScalarLong(string sql) => RawDatabase.Scalar(DataDirectory, sql);
}
