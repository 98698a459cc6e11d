using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;

namespace Underpool.Store.Etcd;

/// <summary>Every call to etcd goes through here: one deadline per call, failover between the members' endpoints, and
/// every failure turned into a <see cref="StoreUnavailableException"/>.</summary>
internal sealed class EtcdConnection : IDisposable
{
    private readonly EtcdEndpoint[] _endpoints;
    private int _current;

    public EtcdConnection(EtcdStoreOptions options, string description)
    {
        CallTimeout = options.CallTimeout;
        Description = description;
        _endpoints = options.Endpoints.Select(url => new EtcdEndpoint(url, options)).ToArray();
    }

    /// <summary>Whether a call may be sent again after a failure that left its outcome unknown.</summary>
    public enum Kind
    {
        /// <summary>Changes nothing: always safe to send again, to another member.</summary>
        Read,

        /// <summary>Sent again only when it certainly never reached a member (connection refused).</summary>
        Write,
    }

    public TimeSpan CallTimeout { get; }

    public string Description { get; }

    /// <summary>The endpoint the next call starts at (the one that answered last).</summary>
    public EtcdEndpoint Current => _endpoints[Volatile.Read(ref _current) % _endpoints.Length];

    /// <summary>Runs <paramref name="call"/> with a deadline of <see cref="CallTimeout"/> from now, trying the other
    /// endpoints within that deadline when it is safe to.</summary>
    /// <param name="what">What the call does, for the error: "reading the pools".</param>
    /// <param name="timeout">The deadline from now, when not <see cref="CallTimeout"/>.</param>
    public async Task<T> CallAsync<T>(
        string what, Kind kind, Func<EtcdEndpoint, CallOptions, Task<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? CallTimeout);
        int start = Volatile.Read(ref _current);
        for (int attempt = 0; ; attempt++)
        {
            int index = (start + attempt) % _endpoints.Length;
            EtcdEndpoint endpoint = _endpoints[index];
            try
            {
                T result = await call(endpoint, new CallOptions(deadline: deadline, cancellationToken: cancellationToken)).ConfigureAwait(false);
                Volatile.Write(ref _current, index);
                return result;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"{what} was cancelled", e, cancellationToken);
            }
            catch (RpcException e) when (IsInfrastructure(e.StatusCode))
            {
                bool neverSent = NeverSent(e);
                bool again = (kind == Kind.Read || neverSent) && DateTime.UtcNow < deadline;
                if (!again)
                {
                    // The next call starts at the next member: this one may be the dead leader.
                    Interlocked.CompareExchange(ref _current, (index + 1) % _endpoints.Length, start % _endpoints.Length);
                    throw Unavailable(what, e, nothingChanged: kind == Kind.Read || neverSent);
                }

                if ((attempt + 1) % _endpoints.Length == 0)
                {
                    // Every member refused once: give a restarting one a moment rather than spinning until the deadline.
                    await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The exception for a failure of this store, naming it and its endpoints.</summary>
    public StoreUnavailableException Unavailable(string what, Exception cause, bool nothingChanged)
    {
        string reason = cause is RpcException { StatusCode: StatusCode.DeadlineExceeded }
            ? $"no answer within {CallTimeout.TotalSeconds:0.###} s"
            : cause is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : cause.Message;
        return new StoreUnavailableException(
            $"{Description} (endpoints {string.Join(", ", _endpoints.Select(e => e.Url))})", what, reason, nothingChanged, cause);
    }

    /// <summary>Moves the next calls to the next endpoint (the change feed's stream broke on the current one).</summary>
    public void Failover(EtcdEndpoint failed)
    {
        int index = Array.IndexOf(_endpoints, failed);
        Interlocked.CompareExchange(ref _current, (index + 1) % _endpoints.Length, index);
    }

    public void Dispose()
    {
        foreach (EtcdEndpoint endpoint in _endpoints)
        {
            endpoint.Dispose();
        }
    }

    /// <summary>Codes that mean the cluster or the path to it failed, as opposed to a request this code got wrong.</summary>
    public static bool IsInfrastructure(StatusCode code) => code is
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Unknown
        or StatusCode.Internal or StatusCode.Aborted or StatusCode.ResourceExhausted or StatusCode.DataLoss;

    /// <summary>True when the connection could not even be made, so the request never reached a member.</summary>
    private static bool NeverSent(RpcException e)
    {
        for (Exception? inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable }
                or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return false;
    }
}
