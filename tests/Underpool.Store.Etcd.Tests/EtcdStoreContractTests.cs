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
}
