using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Etcdserverpb;
using Grpc.Net.Client;

namespace Underpool.Store.Etcd;

/// <summary>One member's client URL: its gRPC channel and the etcd service clients on it.</summary>
/// <remarks>The generated clients of dotnet-etcd are used directly, not its EtcdClient facade: that one retries five
/// times with a second's backoff and sets no deadline, so a dead leader would stall an ADD for many seconds.</remarks>
internal sealed class EtcdEndpoint : IDisposable
{
    private readonly GrpcChannel _channel;

    public EtcdEndpoint(string url, EtcdStoreOptions options)
    {
        Url = url;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.CallTimeout,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,

            // A member that vanished without closing the connection (host down, partition) is noticed within
            // seconds, so the change feed's watch moves to another member instead of waiting forever.
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        ConfigureTls(handler, options);
        _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,

            // No hidden retries: the store decides what may be retried (reads, and writes that never left).
            MaxRetryAttempts = 0,

            // A restarted member is tried again soon; between attempts calls fail at once and the store moves on.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),

            // A big range page or watch response must not fail on gRPC's 4 MiB default.
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        Kv = new KV.KVClient(_channel);
        Watch = new Watch.WatchClient(_channel);
        Lease = new Lease.LeaseClient(_channel);
        Maintenance = new Maintenance.MaintenanceClient(_channel);
    }

    public string Url { get; }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public Lease.LeaseClient Lease { get; }

    public Maintenance.MaintenanceClient Maintenance { get; }

    public void Dispose() => _channel.Dispose();

    private static void ConfigureTls(SocketsHttpHandler handler, EtcdStoreOptions options)
    {
        if (options.CertFile is { } certFile && options.KeyFile is { } keyFile)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(certFile, keyFile)];
        }

        if (options.CaFile is { } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                && ChainsTo(new X509Certificate2(certificate), authority);
        }
    }

    /// <summary>Validates a server certificate against the given authority only (the system's roots are not trusted).</summary>
    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
