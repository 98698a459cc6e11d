using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using k8s;
using Underpool.Kubernetes.Watching;

namespace Underpool.Kubernetes.Api;

/// <summary>The Kubernetes client (the AOT build: typed calls and models with source-generated JSON) and the one call
/// that build lacks: a watch. A watch is a GET of the list URL with watch=true, sent through the client's own request
/// path (its HttpClient and handler, credentials, TLS server name, HTTP/2 unless the configuration turns it off, and a
/// non-2xx answer as the same <see cref="k8s.Autorest.HttpOperationException"/> every typed call throws), whose body is
/// read by <see cref="WatchStreamReader"/>. Nothing here uses reflection, so it works under NativeAOT.</summary>
internal sealed class WatchingClient : k8s.Kubernetes
{
    public WatchingClient(KubernetesClientConfiguration config)
        : base(config)
    {
    }

    /// <summary>The events of one watch of <paramref name="path"/> (a list URL relative to the API root, such as
    /// <c>api/v1/pods</c>) from <paramref name="resourceVersion"/>, with bookmarks, until the server ends the stream
    /// (after about <paramref name="timeoutSeconds"/>) or <paramref name="cancellationToken"/> stops it.</summary>
    public async IAsyncEnumerable<WatchEvent<TObject>> WatchAsync<TObject>(
        string path,
        string? fieldSelector,
        string resourceVersion,
        int timeoutSeconds,
        JsonTypeInfo<TObject> json,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string uri = WatchUri(path, fieldSelector, resourceVersion, timeoutSeconds);
        using HttpResponseMessage response = await SendRequest<object?>(uri, HttpMethod.Get, null, null, cancellationToken).ConfigureAwait(false);
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await foreach (WatchEvent<TObject> item in WatchStreamReader.ReadAsync(body, json, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    /// <summary>The query a watch sends, as the typed calls write theirs (escaped values, booleans as true/false).</summary>
    public static string WatchUri(string path, string? fieldSelector, string resourceVersion, int timeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(path);
        var uri = new StringBuilder(path).Append("?allowWatchBookmarks=true");
        if (!string.IsNullOrEmpty(fieldSelector))
        {
            uri.Append("&fieldSelector=").Append(Uri.EscapeDataString(fieldSelector));
        }

        return uri
            .Append("&resourceVersion=").Append(Uri.EscapeDataString(resourceVersion))
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"&timeoutSeconds={timeoutSeconds}")
            .Append("&watch=true")
            .ToString();
    }
}
