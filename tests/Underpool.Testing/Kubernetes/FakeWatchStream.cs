using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Underpool.Testing.Kubernetes;

/// <summary>One watch request, answered as the real server does: HTTP 200 with newline-delimited events from the
/// given resourceVersion (all current objects as ADDED when it is empty or "0"), BOOKMARKs when asked, an ERROR event
/// with a 410 Status (or an HTTP 410, when the fake is told so) when the version was compacted away, and the end of the
/// stream after timeoutSeconds (or at once after the line the fake was told to end watches with).</summary>
internal sealed class FakeWatchStream
{
    private readonly FakeObjectStore _store;
    private readonly FakeKubernetesApiServer _server;

    public FakeWatchStream(FakeObjectStore store, FakeKubernetesApiServer server)
    {
        _store = store;
        _server = server;
    }

    public async Task RunAsync(HttpContext http, FakeRoute route, Func<JsonObject, bool> selects, CancellationToken dropped)
    {
        IQueryCollection query = http.Request.Query;
        bool bookmarks = query["allowWatchBookmarks"] == "true";
        string version = query["resourceVersion"].ToString();
        long from = version is "" or "0" ? -1 : long.Parse(version, CultureInfo.InvariantCulture);
        int? timeout = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out int seconds) ? seconds : null;
        bool inScope(JsonObject o) => (route.Namespace is null || FakeObjectStore.Namespace(o) == route.Namespace) && selects(o);

        List<FakeChange>? backlog = from < 0 ? [] : _store.ChangesAfter(route.Resource, from);
        if (backlog is null && _server.GoneAsHttpStatus)
        {
            await FakeApiWire.WriteStatusAsync(http, 410, "Expired", $"too old resource version: {from} ({_store.Compacted})");
            return;
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.StartAsync(http.RequestAborted);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, dropped);
        if (timeout is int limit)
        {
            end.CancelAfter(TimeSpan.FromSeconds(limit));
        }

        if (backlog is null)
        {
            JsonObject gone = FakeApiWire.Status(410, "Expired", $"too old resource version: {from} ({_store.Compacted})");
            await WriteAsync(http, FakeApiWire.Event("ERROR", gone), end.Token);
            return;
        }

        long sent = from;
        if (from < 0)
        {
            (List<JsonObject> items, long revision) = _store.List(route.Resource, route.Namespace);
            foreach (JsonObject item in items.Where(selects))
            {
                await WriteAsync(http, FakeApiWire.Event("ADDED", item), end.Token);
            }

            sent = revision;
        }

        if (_server.WatchesEndWith is { } last)
        {
            await WriteAsync(http, last + "\n", end.Token);
            return;
        }

        try
        {
            await FollowAsync(http, route, inScope, bookmarks, sent, end.Token);
        }
        catch (OperationCanceledException) when (dropped.IsCancellationRequested)
        {
            http.Abort(); // A dropped stream breaks, it does not end cleanly.
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds passed, or the client went away: the stream ends.
        }
    }

    private async Task FollowAsync(HttpContext http, FakeRoute route, Func<JsonObject, bool> inScope, bool bookmarks, long sent, CancellationToken end)
    {
        while (true)
        {
            Task next = _store.NextChange;
            List<FakeChange>? changes = _store.ChangesAfter(route.Resource, sent);
            if (changes is null)
            {
                // Compacted under an open watch: real etcd keeps such watches; so do we, from the current revision.
                changes = [];
                sent = _store.Revision;
            }

            foreach (FakeChange change in changes)
            {
                if (Translate(change, inScope) is { } line)
                {
                    await WriteAsync(http, line, end);
                }

                sent = change.Revision;
            }

            Task bookmark = bookmarks ? Task.Delay(_server.BookmarkInterval, end) : Task.Delay(Timeout.Infinite, end);
            if (await Task.WhenAny(next, bookmark, _server.BookmarkRequested) != next)
            {
                end.ThrowIfCancellationRequested();
                if (bookmarks)
                {
                    sent = Math.Max(sent, _store.Revision);
                    await WriteAsync(http, FakeApiWire.Bookmark(route.Resource, sent), end);
                    _server.CountBookmark();
                }
            }
        }
    }

    /// <summary>A change as this watch sees it: an object that moved into the selection is ADDED, out of it DELETED.</summary>
    private static string? Translate(FakeChange change, Func<JsonObject, bool> inScope)
    {
        bool now = inScope(change.Object);
        bool before = change.Previous is not null && inScope(change.Previous);
        return (change.Type, before, now) switch
        {
            ("DELETED", true, _) => FakeApiWire.Event("DELETED", change.Object),
            ("DELETED", false, _) => null,
            ("ADDED", _, true) => FakeApiWire.Event("ADDED", change.Object),
            ("MODIFIED", true, true) => FakeApiWire.Event("MODIFIED", change.Object),
            ("MODIFIED", false, true) => FakeApiWire.Event("ADDED", change.Object),
            ("MODIFIED", true, false) => FakeApiWire.Event("DELETED", change.Object),
            _ => null,
        };
    }

    private static async Task WriteAsync(HttpContext http, string line, CancellationToken end)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), end);
        await http.Response.Body.FlushAsync(end);
    }
}
