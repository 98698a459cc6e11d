using System.Net;
using System.Net.Sockets;
using Underpool.Store.Contract;

namespace Underpool.Store.Etcd.Tests;

/// <summary>The store contract on etcd: one prefix per test on the shared member, deleted after it.</summary>
[Collection(SharedEtcdGroup.Name)]
public sealed class EtcdStoreContractTests(SharedEtcd etcd) : IpamStoreContract
{
    private readonly string _prefix = $"/underpool-test-{Guid.NewGuid():N}";

    protected override Task<IIpamStore> OpenStoreAsync() =>
        InitializedAsync(new EtcdIpamStore(new EtcdStoreOptions { Endpoints = etcd.Cluster.ClientUrls, Prefix = _prefix }));

    protected override Task DeleteBackingAsync() => etcd.Cluster.DeletePrefixAsync(_prefix);

    /// <summary>This test's prefix, reached through an endpoint nothing listens on (a stopped member): the shared member
    /// itself keeps serving the other tests.</summary>
    protected override Task<(IIpamStore Store, IAsyncDisposable Ends)> MakeUnavailableAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string closed = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        var store = new EtcdIpamStore(new EtcdStoreOptions { Endpoints = [closed], Prefix = _prefix, CallTimeout = TimeSpan.FromMilliseconds(500) });
        return Task.FromResult<(IIpamStore, IAsyncDisposable)>((store, store));
    }
}
