using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Underpool.Kubernetes.Api;

namespace Underpool.Kubernetes.Watching;

/// <summary>Keeps an <see cref="ObjectCache{TInfo}"/> equal to the API server's view of one kind of object: list
/// once, then watch from the list's resourceVersion with bookmarks; a stream that ends or breaks is resumed from the
/// last resourceVersion seen (an event's or a bookmark's), a resourceVersion the server no longer has (410 Gone) is
/// answered by a fresh list, and errors are retried with exponential back-off and jitter. The client has no
/// informers (and its AOT build no watch: <see cref="WatchingClient"/> has ours); this is the small part of one the
/// agent needs.</summary>
internal sealed partial class ResourceFollower<TObject, TInfo> : IAsyncDisposable
    where TObject : IKubernetesObject<V1ObjectMeta>
    where TInfo : class
{
    // The server closes a watch after this long (plus jitter, as client-go does); we give up on a silent one a
    // little later, so a connection that died without a FIN is noticed.
    private const int WatchSeconds = 240;
    private static readonly TimeSpan SilentStreamSlack = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortStream = TimeSpan.FromSeconds(1);

    private readonly KubernetesApi _api;
    private readonly WatchSource<TObject, TInfo> _source;
    private readonly Backoff _backoff;
    private readonly ILogger _log;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _healthLock = new();
    private WatchHealth _health = new(false, null, 0, 0, 0, 0, null);
    private Task? _loop;

    public ResourceFollower(KubernetesApi api, WatchSource<TObject, TInfo> source, Backoff backoff, ILogger log)
    {
        _api = api;
        _source = source;
        _backoff = backoff;
        _log = log;
    }

    public ObjectCache<TInfo> Cache { get; } = new();

    public string Description => _source.Description;

    public WatchHealth Health
    {
        get
        {
            lock (_healthLock)
            {
                return _health;
            }
        }
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Completes once the first list is in the cache.</summary>
    public Task WaitSyncedAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        string? resourceVersion = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(stop).ConfigureAwait(false);
                resourceVersion = await WatchAsync(resourceVersion, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null;
                Update(h => h with { Gone = h.Gone + 1 });
                LogGone(_source.Description);
            }
            catch (Exception e)
            {
                int failures = Update(h => h with { ConsecutiveFailures = h.ConsecutiveFailures + 1, LastError = Describe(e) }).ConsecutiveFailures;
                TimeSpan delay = _backoff.Delay(failures);
                LogRetry(_source.Description, failures, delay.TotalMilliseconds, Describe(e));
                try
                {
                    await Task.Delay(delay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken stop)
    {
        (IReadOnlyList<TObject> items, string resourceVersion) = await _api
            .CallAsync($"LIST {_source.Description}", _source.List, stop)
            .ConfigureAwait(false);
        var listed = new Dictionary<string, TInfo>(items.Count, StringComparer.Ordinal);
        foreach (TObject item in items)
        {
            listed[KeyOf(item)] = _source.Keep(item);
        }

        Cache.Replace(listed);
        Update(h => h with { Synced = true, ResourceVersion = resourceVersion, Lists = h.Lists + 1, ConsecutiveFailures = 0, LastError = null });
        _synced.TrySetResult();
        return resourceVersion;
    }

    /// <summary>One watch stream from <paramref name="resourceVersion"/>; returns the version to resume from, or null
    /// when the server said it no longer has ours (an ERROR event with 410 Gone).</summary>
    private async Task<string?> WatchAsync(string resourceVersion, CancellationToken stop)
    {
        int seconds = WatchSeconds + Random.Shared.Next(WatchSeconds / 4);
        using var silent = CancellationTokenSource.CreateLinkedTokenSource(stop);
        silent.CancelAfter(TimeSpan.FromSeconds(seconds) + SilentStreamSlack);
        bool gone = false;
        Exception? streamError = null;
        var started = Stopwatch.StartNew();
        int events = 0;
        try
        {
            await foreach (WatchEvent<TObject> item in _api.Client
                .WatchAsync(_source.Path, _source.FieldSelector, resourceVersion, seconds, _source.Json, silent.Token)
                .ConfigureAwait(false))
            {
                events++;
                if (item.Status is { } status)
                {
                    // The server ends the stream after an ERROR; 410 Gone means "list again", anything else is a failure.
                    if (status.Code == (int)HttpStatusCode.Gone)
                    {
                        gone = true;
                    }
                    else
                    {
                        streamError ??= new KubernetesException(status);
                    }

                    continue;
                }

                resourceVersion = Apply(item.Kind, item.Object!) ?? resourceVersion;
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // The stream went silent past the server's own timeout: resume, as after a normal end.
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            streamError = e; // The connection broke, or the stream carried something that is not an event.
        }

        if (gone)
        {
            Update(h => h with { Gone = h.Gone + 1 });
            LogGone(_source.Description);
            return null;
        }

        if (streamError is not null || (events == 0 && started.Elapsed < ShortStream))
        {
            // A stream that broke, or closed at once with nothing in it, is a failure to back off from: otherwise a
            // server that accepts and hangs up would be called in a tight loop.
            throw new KubernetesUnavailableException(
                $"the watch of {_source.Description} on {_api.Server} ended: {(streamError is null ? "closed at once" : Describe(streamError))}",
                streamError ?? new IOException("closed at once"));
        }

        Update(h => h with { Resumes = h.Resumes + 1, ResourceVersion = resourceVersion, ConsecutiveFailures = 0, LastError = null });
        return resourceVersion;
    }

    /// <summary>One event into the cache; returns the event's resourceVersion (bookmarks carry only that).</summary>
    private string? Apply(WatchEventKind kind, TObject item)
    {
        string? version = item.Metadata?.ResourceVersion;
        switch (kind)
        {
            case WatchEventKind.Added or WatchEventKind.Modified:
                Cache.Upsert(KeyOf(item), _source.Keep(item));
                break;
            case WatchEventKind.Deleted:
                Cache.Remove(KeyOf(item), _source.Keep(item));
                break;
            case WatchEventKind.Bookmark:
                break;
            default:
                return null;
        }

        Update(h => h with { ResourceVersion = version ?? h.ResourceVersion, ConsecutiveFailures = 0, LastError = null });
        return version;
    }

    private static string KeyOf(TObject item) => KubernetesNames.Key(item.Metadata.NamespaceProperty, item.Metadata.Name);

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException http => $"HTTP {(int)http.Response.StatusCode} {http.Response.StatusCode}",
        KubernetesException k => $"{k.Status?.Code} {k.Status?.Reason}: {k.Status?.Message}",
        _ => e.Message,
    };

    private WatchHealth Update(Func<WatchHealth, WatchHealth> change)
    {
        lock (_healthLock)
        {
            _health = change(_health);
            return _health;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "watch of {What}: the server no longer has our resourceVersion (410 Gone); listing again")]
    private partial void LogGone(string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watch of {What} failed ({Failures} in a row), retrying in {DelayMs:0} ms: {Error}")]
    private partial void LogRetry(string what, int failures, double delayMs, string error);
}
