using System.Collections.Concurrent;

namespace Underpool.Kubernetes.Watching;

/// <summary>What changed in a cache: <see cref="Old"/> is null for an addition, <see cref="New"/> null for a deletion
/// (then <see cref="Old"/> is the last state seen: a tombstone with the object's final labels and annotations).</summary>
internal sealed record CacheChange<TInfo>(string Key, TInfo? Old, TInfo? New)
    where TInfo : class;

/// <summary>The objects a watch follows, by "namespace/name", readable from any thread while the watch writes.</summary>
internal sealed class ObjectCache<TInfo>
    where TInfo : class
{
    private readonly ConcurrentDictionary<string, TInfo> _items = new(StringComparer.Ordinal);

    /// <summary>Raised on the watch's task after each change, in order. Handlers must be quick and must not throw.</summary>
    public event Action<CacheChange<TInfo>>? Changed;

    public int Count => _items.Count;

    public TInfo? Get(string key) => _items.TryGetValue(key, out TInfo? info) ? info : null;

    /// <summary>A point-in-time copy, for decisions over the whole state.</summary>
    public IReadOnlyList<TInfo> Snapshot() => [.. _items.Values];

    /// <summary>After a (re)list: the listed state replaces ours, and whatever vanished while we were not watching
    /// is reported as deleted, so nobody misses a deletion that happened during a gap.</summary>
    public void Replace(IReadOnlyDictionary<string, TInfo> listed)
    {
        foreach ((string key, TInfo old) in _items)
        {
            if (!listed.ContainsKey(key) && _items.TryRemove(key, out _))
            {
                Changed?.Invoke(new CacheChange<TInfo>(key, old, null));
            }
        }

        foreach ((string key, TInfo info) in listed)
        {
            Upsert(key, info);
        }
    }

    public void Upsert(string key, TInfo info)
    {
        TInfo? old = null;
        _items.AddOrUpdate(key, info, (_, previous) =>
        {
            old = previous;
            return info;
        });
        Changed?.Invoke(new CacheChange<TInfo>(key, old, info));
    }

    public void Remove(string key, TInfo last)
    {
        TInfo? old = _items.TryRemove(key, out TInfo? removed) ? removed : null;
        Changed?.Invoke(new CacheChange<TInfo>(key, old ?? last, null));
    }
}
