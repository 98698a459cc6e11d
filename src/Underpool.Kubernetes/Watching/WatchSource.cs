using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace Underpool.Kubernetes.Watching;

/// <summary>One kind of object to follow: a list call (the whole state and its resourceVersion), the list URL a watch
/// GETs (<see cref="Path"/>, relative to the API root, with <see cref="FieldSelector"/>), the source-generated JSON of
/// its objects, and what the agent keeps of one. <typeparamref name="TObject"/> is the client's model;
/// <typeparamref name="TInfo"/> the little the agent keeps of it.</summary>
internal sealed record WatchSource<TObject, TInfo>(
    string Description,
    Func<IKubernetes, CancellationToken, Task<(IReadOnlyList<TObject> Items, string ResourceVersion)>> List,
    string Path,
    string? FieldSelector,
    JsonTypeInfo<TObject> Json,
    Func<TObject, TInfo> Keep)
    where TObject : IKubernetesObject<V1ObjectMeta>
    where TInfo : class;
