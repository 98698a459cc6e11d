using Underpool.Testing;
namespace Underpool.Store.Etcd.Tests;

/// <summary>One single-member etcd for every test of the <see cref="SharedEtcdGroup"/>; each test uses its own prefix.</summary>
public sealed class SharedEtcd : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    internal EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("the shared etcd has not started");

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync(1);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
