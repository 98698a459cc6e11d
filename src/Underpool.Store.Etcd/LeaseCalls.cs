using Etcdserverpb;
using Grpc.Core;

namespace Underpool.Store.Etcd;

/// <summary>The etcd lease calls node registration and leader leases share, each with the connection's deadline.</summary>
internal static class LeaseCalls
{
    public static Task<LeaseGrantResponse> GrantAsync(EtcdKv kv, string what, long seconds, CancellationToken cancellationToken) =>
        kv.Connection.CallAsync(what, EtcdConnection.Kind.Write,
            async (endpoint, options) => await endpoint.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, options).ConfigureAwait(false),
            cancellationToken);

    /// <summary>One LeaseKeepAlive round; false when etcd no longer knows the lease (it expired).</summary>
    public static Task<bool> KeepAliveAsync(EtcdKv kv, long id, CancellationToken cancellationToken) =>
        kv.Connection.CallAsync("renewing a lease", EtcdConnection.Kind.Read, async (endpoint, options) =>
        {
            using AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call = endpoint.Lease.LeaseKeepAlive(options);
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = id }, options.CancellationToken).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await call.ResponseStream.MoveNext(options.CancellationToken).ConfigureAwait(false) && call.ResponseStream.Current.TTL > 0;
        }, cancellationToken);

    /// <summary>Drops a lease now instead of at its expiry; failing that is harmless (it expires by itself).</summary>
    public static async Task RevokeQuietlyAsync(EtcdKv kv, long id, CancellationToken cancellationToken)
    {
        try
        {
            await kv.Connection.CallAsync("revoking a lease", EtcdConnection.Kind.Write, async (endpoint, options) =>
                await endpoint.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = id }, options).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            // The lease expires by itself.
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // Already expired.
        }
    }
}
