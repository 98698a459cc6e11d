using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Underpool.Testing.Kubernetes;

/// <summary>A FAKE Kubernetes API server — not a real kube-apiserver, none exists for these machines. Kestrel on
/// 127.0.0.1 speaking the real wire format for exactly the subset Underpool uses: list and watch (field selectors
/// metadata.name, metadata.namespace and spec.nodeName; resourceVersion; BOOKMARK events; 410 Gone after
/// <see cref="Compact"/>; streams of newline-delimited {"type","object"} events), get (404 with a Status body),
/// create (409 AlreadyExists), update (409 Conflict on a stale resourceVersion) and patch, for pods, nodes, namespaces,
/// replicasets, deployments, statefulsets, leases and events. Tests change its state through the C# methods below
/// (each change bumps the resourceVersion and reaches open watches), stop and start it on the same port (the API
/// server going away), and read <see cref="Requests"/>: every (verb, group, resource, namespace) asked, which the
/// Helm chart's RBAC rules must cover. Tests drive it with the real KubernetesClient: that is the conformance check.</summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly FakeObjectStore _store = new();
    private readonly ConcurrentDictionary<FakeApiRequest, int> _requests = new();
    private readonly FakeWatchStream _watches;
    private readonly Lock _gate = new();
    private CancellationTokenSource _dropWatches = new();
    private TaskCompletionSource _bookmarkRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _frozen;
    private WebApplication? _app;
    private int _bookmarks;

    private FakeKubernetesApiServer() => _watches = new FakeWatchStream(_store, this);

    /// <summary>http://127.0.0.1:PORT, the same across <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public int Port { get; private set; }

    public bool IsRunning => _app is not null;

    /// <summary>How often an idle watch that asked for bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Answer a watch from a compacted resourceVersion with HTTP 410 instead of (the default, as the real
    /// server does) HTTP 200 and an ERROR event carrying the 410 Status.</summary>
    public bool GoneAsHttpStatus { get; set; }

    /// <summary>While set, every watch stream that opens sends this line at once and ends: an ERROR event
    /// with a Status of some code (<see cref="ErrorEvent"/>), or anything that is not an event at all (a server or a
    /// proxy that misbehaves).</summary>
    public string? WatchesEndWith { get; set; }

    /// <summary>Every (verb, group, resource, namespace) asked so far.</summary>
    public IReadOnlyCollection<FakeApiRequest> Requests => [.. _requests.Keys];

    public int RequestCount(string verb, FakeResource resource) =>
        _requests.Where(r => r.Key.Verb == verb && r.Key.Resource == resource.Resource && r.Key.Group == resource.Group).Sum(r => r.Value);

    /// <summary>Bookmarks sent on all watches so far.</summary>
    public int BookmarksSent => Volatile.Read(ref _bookmarks);

    /// <summary>The current resourceVersion (one counter for every resource).</summary>
    public long ResourceVersion => _store.Revision;

    internal Task BookmarkRequested
    {
        get
        {
            lock (_gate)
            {
                return _bookmarkRequested.Task;
            }
        }
    }

    public static async Task<FakeKubernetesApiServer> StartNewAsync()
    {
        var server = new FakeKubernetesApiServer();
        await server.StartAsync();
        return server;
    }

    /// <summary>A client configuration for the real KubernetesClient, pointing here.</summary>
    public KubernetesClientConfiguration ClientConfiguration() => new() { Host = Url };

    /// <summary>Writes a kubeconfig file pointing here (what an agent outside the cluster is given with --kubeconfig).</summary>
    public string WriteKubeconfig(string directory)
    {
        string path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Url}
            users:
            - name: agent
              user:
                token: fake-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: agent
            current-context: fake
            """);
        return path;
    }

    /// <summary>Starts listening (again, on the same port after a stop).</summary>
    public async Task StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        WebApplication app = builder.Build();
        app.Run(HandleAsync);
        lock (_gate)
        {
            _app = app; // Before it listens: a request that arrives at once must not be taken for one during a stop.
        }

        await app.StartAsync();
        if (Port == 0)
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Port = new Uri(address).Port;
        }
    }

    /// <summary>The API server goes away: open watches break, new connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        WebApplication? app;
        lock (_gate)
        {
            app = _app;
            _app = null;
        }

        if (app is null)
        {
            return;
        }

        // Under the same lock as a request's check: a request either sees the server stopping (and is refused) or
        // holds the token this cancels, so no watch outlives the stop.
        DropWatches();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Breaks every open watch stream (the connection drops mid-stream); the clients must resume.</summary>
    public void DropWatches()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _dropWatches;
            _dropWatches = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    /// <summary>Requests hang without an answer (a server that accepts but never answers) until <see cref="Thaw"/>.</summary>
    public void Freeze()
    {
        lock (_gate)
        {
            _frozen ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Thaw()
    {
        lock (_gate)
        {
            _frozen?.TrySetResult();
            _frozen = null;
        }
    }

    /// <summary>Sends a bookmark on every open watch that asked for them, now.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
        {
            TaskCompletionSource requested = _bookmarkRequested;
            _bookmarkRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            requested.SetResult();
        }
    }

    /// <summary>A watch ERROR event line carrying a Status, as the real server sends it.</summary>
    public static string ErrorEvent(int code, string reason, string message) => FakeApiWire.Event("ERROR", FakeApiWire.Status(code, reason, message)).TrimEnd('\n');

    /// <summary>Forgets the change log (etcd compaction): a watch from any resourceVersion before now is 410 Gone.</summary>
    public void Compact() => _store.Compact();

    /// <summary>Creates or replaces an object (its kind decides the resource); returns it as stored, with its new
    /// resourceVersion and, for a new object, a uid.</summary>
    public T Put<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        FakeResource resource = ResourceOf<T>();
        JsonObject body = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        (JsonObject? stored, string? refusal) = _store.Write(resource, body, WriteMode.Upsert);
        return stored is null
            ? throw new InvalidOperationException($"the fake refused the write: {refusal}")
            : KubernetesJson.Deserialize<T>(stored.ToJsonString());
    }

    public T? Get<T>(string? ns, string name)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        JsonObject? found = _store.Get(ResourceOf<T>(), ns, name);
        return found is null ? default : KubernetesJson.Deserialize<T>(found.ToJsonString());
    }

    public IReadOnlyList<T> List<T>()
        where T : IKubernetesObject<V1ObjectMeta> =>
        _store.List(ResourceOf<T>(), null).Items.Select(o => KubernetesJson.Deserialize<T>(o.ToJsonString())).ToList();

    /// <summary>Deletes an object (a DELETED event on open watches); false when there was none.</summary>
    public bool Delete<T>(string? ns, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        _store.Delete(ResourceOf<T>(), ns, name) is not null;

    public async ValueTask DisposeAsync()
    {
        Thaw();
        await StopAsync();
        _dropWatches.Dispose();
    }

    internal void CountBookmark() => Interlocked.Increment(ref _bookmarks);

    private static FakeResource ResourceOf<T>() => FakeResources.OfKind(typeof(T) == typeof(Corev1Event) ? "Event" : typeof(T).Name[2..]);

    private async Task HandleAsync(HttpContext http)
    {
        Task? frozen;
        CancellationToken dropped;
        lock (_gate)
        {
            if (_app is null)
            {
                http.Abort();
                return;
            }

            frozen = _frozen?.Task;
            dropped = _dropWatches.Token;
        }

        FakeRoute? route = FakeRoute.Parse(http.Request.Path.Value ?? "");
        if (route is null)
        {
            await FakeApiWire.WriteStatusAsync(http, 404, "NotFound", "the server could not find the requested resource");
            return;
        }

        string verb = Verb(http.Request.Method, route, http.Request.Query["watch"] == "true");
        _requests.AddOrUpdate(new FakeApiRequest(verb, route.Resource.Group, route.Resource.Resource, route.Namespace), 1, (_, n) => n + 1);
        if (frozen is not null)
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, dropped);
            await frozen.WaitAsync(waiting.Token);
        }

        await new FakeApiHandlers(_store, _watches).HandleAsync(http, verb, route, dropped);
    }

    private static string Verb(string method, FakeRoute route, bool watch) => (method, route.Name) switch
    {
        ("GET", null) => watch ? "watch" : "list",
        ("GET", _) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", _) => "delete",
        _ => method.ToLowerInvariant(),
    };
}
