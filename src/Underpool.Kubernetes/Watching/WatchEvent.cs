using k8s.Models;

namespace Underpool.Kubernetes.Watching;

/// <summary>The "type" of a watch event: the API server's closed set.</summary>
internal enum WatchEventKind
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>One event of a watch stream: <see cref="Object"/> for ADDED, MODIFIED, DELETED and BOOKMARK (a bookmark's
/// object carries only its resourceVersion), <see cref="Status"/> for ERROR (410 Gone: the resourceVersion asked for
/// is no longer there).</summary>
internal readonly record struct WatchEvent<TObject>(WatchEventKind Kind, TObject? Object, V1Status? Status);
