using Underpool.Testing;

namespace Underpool.Lab.Tests;

/// <summary>Where the lab's agents keep their state: the embedded store they share on this host (the default), or a
/// real single-member etcd the lab starts on a loopback port, as agents on many hosts would share one.</summary>
internal sealed class LabStore : IAsyncDisposable
{
    private readonly EtcdCluster? _etcd;

    private LabStore(EtcdCluster? etcd, string[] agentArgs)
    {
        _etcd = etcd;
        AgentArgs = agentArgs;
    }

    /// <summary>The underpoold flags that point an agent at this store.</summary>
    public string[] AgentArgs { get; }

    public static async Task<LabStore> StartAsync(string kind)
    {
        if (kind == "embedded")
        {
            return new LabStore(null, []);
        }

        LabPrerequisites.EnsureProgram("etcd", "etcd-server");
        EtcdCluster etcd = await EtcdCluster.StartAsync(1);
        return new LabStore(etcd, ["--store", "etcd", "--etcd-endpoints", string.Join(',', etcd.ClientUrls), "--etcd-prefix", $"/lab-{Guid.NewGuid():N}"]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }
}
