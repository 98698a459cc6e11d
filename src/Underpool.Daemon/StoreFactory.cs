using Underpool.Agent;
using Underpool.Daemon.Options;
using Underpool.Store;
using Underpool.Store.Embedded;
using Underpool.Store.Etcd;

/// <summary>Opens the store the options name (validated by <see cref="DaemonOptionsParser"/>).</summary>
internal static class StoreFactory
{
    public static IIpamStore Open(DaemonOptions options) => options.Agent.Store switch
    {
        StoreKind.Etcd => new EtcdIpamStore(options.Etcd),
        _ => new SqliteIpamStore(options.DataDir),
    };
}
