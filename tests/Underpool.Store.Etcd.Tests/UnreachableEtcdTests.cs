using System.Net;
using System.Net.Sockets;
using Underpool.Core.Pools;
using Underpool.Store.Contract;

namespace Underpool.Store.Etcd.Tests;

/// <summary>No etcd answering: every call must fail with StoreUnavailableException by its deadline, never hang.</summary>
public sealed class UnreachableEtcdTests
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task A_store_whose_endpoints_refuse_connections_is_unavailable_within_the_deadline()
    {
        string[] endpoints = [$"http://127.0.0.1:{ClosedPort()}", $"http://127.0.0.1:{ClosedPort()}"];
        await using var store = new EtcdIpamStore(new EtcdStoreOptions { Endpoints = endpoints, CallTimeout = CallTimeout });

        StoreUnavailableException e = await FailsInTimeAsync(store.InitializeAsync(CancellationToken.None));

        Assert.All(endpoints, endpoint => Assert.Contains(endpoint, e.Message, StringComparison.Ordinal));
        Assert.Contains("nothing was changed, try again", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(e);
    }

    [Fact]
    public async Task A_commit_to_an_endpoint_that_accepts_but_never_answers_is_unavailable_within_the_deadline()
    {
        // A listener that completes TCP handshakes and then says nothing: a hung member, the worst case for a client.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        string endpoint = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        await using var store = new EtcdIpamStore(new EtcdStoreOptions { Endpoints = [endpoint], CallTimeout = CallTimeout });
        PoolSpec pool = SamplePools.V4() with { Generation = 7 };

        // The commit's deadline passes (one call timeout), then its read-back's (two, to outlast an election): the
        // bound is one more than that worst case.
        StoreUnavailableException e = await FailsInTimeAsync(
            store.TryCommitAsync([SampleRecords.Record(pool, "172.20.1.10")], CancellationToken.None), bound: 4 * CallTimeout);

        Assert.Contains(endpoint, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Waits for the call with a bound (default three call timeouts; not a timing assertion: a hang fails, a
    /// slow machine does not) and returns the StoreUnavailableException it must end with.</summary>
    private static async Task<StoreUnavailableException> FailsInTimeAsync(Task call, TimeSpan? bound = null)
    {
        TimeSpan wait = bound ?? 3 * CallTimeout;
        Task finished = await Task.WhenAny(call, Task.Delay(wait));
        Assert.True(finished == call, $"the call had not returned after {wait}");
        return await Assert.ThrowsAsync<StoreUnavailableException>(() => call);
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
