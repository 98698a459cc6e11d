using Underpool.Agent;
using Underpool.Store;
using Underpool.Store.Embedded;
using Underpool.Store.Etcd;

/// <summary>Opens the store <see cref="AgentOptions.Store"/> names (validated by the options parser).</summary>
internal static class StoreFactory
{
    public static IIpamStore Open(AgentOptions options) => options.Store switch
    {
        "etcd" => new EtcdIpamStore(new EtcdStoreOptions
        {
            Endpoints = options.EtcdEndpoints,
            Prefix = options.EtcdPrefix,
            CertFile = options.EtcdCertFile,
            KeyFile = options.EtcdKeyFile,
            CaFile = options.EtcdCaFile,
            CallTimeout = options.StoreTimeout,
        }),
        _ => new SqliteIpamStore(options.DataDir),
    };
}
