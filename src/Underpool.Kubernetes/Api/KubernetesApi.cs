using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Autorest;

namespace Underpool.Kubernetes.Api;

/// <summary>The client and the rules every call follows: a deadline on each call, and one exception type
/// (<see cref="KubernetesUnavailableException"/>, naming the server) for a server that cannot answer, so no caller
/// ever hangs on the API or has to know the client's exception zoo.</summary>
internal sealed class KubernetesApi : IDisposable
{
    public KubernetesApi(WatchingClient client, string server, TimeSpan deadline)
    {
        Client = client;
        Server = server;
        Deadline = deadline;
    }

    /// <summary>The typed calls, and the watch (<see cref="WatchingClient.WatchAsync"/>).</summary>
    public WatchingClient Client { get; }

    /// <summary>The API server's URL, for messages.</summary>
    public string Server { get; }

    /// <summary>The deadline of a call whose caller gives none.</summary>
    public TimeSpan Deadline { get; }

    /// <summary>A client for the options' kubeconfig, or the in-cluster service account. The client's own timeout is
    /// off: watches are long, and every other call gets our deadline.</summary>
    public static KubernetesApi Create(KubernetesOptions options)
    {
        KubernetesClientConfiguration config = options.KubeconfigPath is { } path
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
            : KubernetesClientConfiguration.InClusterConfig();
        return Create(config, options.ApiDeadline);
    }

    public static KubernetesApi Create(KubernetesClientConfiguration config, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        return new KubernetesApi(new WatchingClient(config), config.Host, deadline);
    }

    /// <summary>Runs one call within <paramref name="deadline"/> (default <see cref="Deadline"/>). HTTP answers of 4xx
    /// other than 401/403/429 come back as the client's <see cref="HttpOperationException"/> for the caller to read
    /// (404, 409); everything that means "the server cannot answer" becomes a <see cref="KubernetesUnavailableException"/>.</summary>
    public async Task<T> CallAsync<T>(string what, Func<IKubernetes, CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        TimeSpan limit = deadline ?? Deadline;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            return await call(Client, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Unavailable(e, what, limit, cancellationToken) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>A GET that answers null for 404 Not Found.</summary>
    public async Task<T?> GetOrNullAsync<T>(string what, Func<IKubernetes, CancellationToken, Task<T>> get, CancellationToken cancellationToken, TimeSpan? deadline = null)
        where T : class
    {
        try
        {
            return await CallAsync(what, get, cancellationToken, deadline).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The exception a failed call becomes, or null when it stays what it is (the caller's own cancellation,
    /// an answer the caller reads such as 404 or 409).</summary>
    public KubernetesUnavailableException? Unavailable(Exception e, string what, TimeSpan deadline, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            OperationCanceledException when callerToken.IsCancellationRequested => null,
            OperationCanceledException or TimeoutException => new KubernetesUnavailableException(
                $"the Kubernetes API server {Server} did not answer {what} within {deadline.TotalSeconds:0.###} s", e),
            HttpOperationException { Response.StatusCode: var status } when IsServerSide(status) => new KubernetesUnavailableException(
                $"the Kubernetes API server {Server} answered {what} with {(int)status} {status}{Detail(status)}", e),
            HttpOperationException => null,
            HttpRequestException or IOException or SocketException => new KubernetesUnavailableException(
                $"the Kubernetes API server {Server} cannot be reached for {what}: {e.Message}", e),
            _ => null,
        };
    }

    public void Dispose() => Client.Dispose();

    /// <summary>Answers that say nothing about the object asked for: the server (or our access to it) is the problem.</summary>
    private static bool IsServerSide(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    private static string Detail(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        ? " (the agent's service account lacks a permission: check its ClusterRole)"
        : "";
}
