using Underpool.Testing;
using Xunit.Abstractions;

namespace Underpool.Store.Etcd.Tests;

/// <summary>Tests that kill members get an etcd cluster of their own, started before each test and stopped after it.</summary>
public abstract class OwnClusterTests(int size, ITestOutputHelper output) : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    protected ITestOutputHelper Output => output;

    internal EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not started");

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync(size);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            // xunit shows a test's output only when it fails: then it is what etcd said around the kill.
            output.WriteLine(_cluster.Logs());
            await _cluster.DisposeAsync();
        }
    }
}
