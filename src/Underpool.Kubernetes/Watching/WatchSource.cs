using k8s;
using k8s.Models;

namespace Underpool.Kubernetes.Watching;

/// <summary>One kind of object to follow, and the two calls that follow it: a list (the whole state and its
/// resourceVersion) and a watch from a resourceVersion (with bookmarks). <typeparamref name="TObject"/> is the
/// client's model; <typeparamref name="TInfo"/> the little the agent keeps of it.</summary>
internal sealed record WatchSource<TObject, TInfo>(
    string Description,
    Func<IKubernetes, CancellationToken, Task<(IReadOnlyList<TObject> Items, string ResourceVersion)>> List,
    Func<IKubernetes, string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, TObject Object)>> Watch,
    Func<TObject, TInfo> Keep)
    where TObject : IKubernetesObject<V1ObjectMeta>
    where TInfo : class;
