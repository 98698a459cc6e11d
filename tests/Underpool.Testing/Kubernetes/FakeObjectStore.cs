using System.Globalization;
using System.Text.Json.Nodes;

namespace Underpool.Testing.Kubernetes;

/// <summary>One change, as a watch replays it: the object after the change (before it for a deletion, with the
/// deletion's resourceVersion) and before it, so a watch with a field selector can turn a change that moves an
/// object in or out of its selection into ADDED or DELETED, as the real server does.</summary>
internal sealed record FakeChange(long Revision, FakeResource Resource, string Type, JsonObject Object, JsonObject? Previous);

/// <summary>The fake's state: objects per resource, one revision counter for all (as etcd's), and the log of changes
/// watches replay from, which a test can compact to make old resourceVersions 410 Gone.</summary>
internal sealed class FakeObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(FakeResource, string), JsonObject> _objects = [];
    private readonly List<FakeChange> _log = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision = 1000;
    private long _compacted;

    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    public long Compacted
    {
        get
        {
            lock (_gate)
            {
                return _compacted;
            }
        }
    }

    /// <summary>Completes at the next change.</summary>
    public Task NextChange
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    public JsonObject? Get(FakeResource resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue((resource, Key(ns, name)), out JsonObject? found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>Every object of a resource (in one namespace when given) and the revision they are current at.</summary>
    public (List<JsonObject> Items, long Revision) List(FakeResource resource, string? ns)
    {
        lock (_gate)
        {
            List<JsonObject> items = _objects
                .Where(o => o.Key.Item1 == resource && (ns is null || Namespace(o.Value) == ns))
                .OrderBy(o => o.Key.Item2, StringComparer.Ordinal)
                .Select(o => (JsonObject)o.Value.DeepClone())
                .ToList();
            return (items, _revision);
        }
    }

    /// <summary>Creates or replaces; <paramref name="expectedVersion"/> (an update's metadata.resourceVersion) must
    /// match the stored one when given. Returns the stored copy, or null with the reason (AlreadyExists, Conflict,
    /// NotFound).</summary>
    public (JsonObject? Stored, string? Refusal) Write(FakeResource resource, JsonObject body, WriteMode mode, string? expectedVersion = null)
    {
        lock (_gate)
        {
            JsonObject meta = Meta(body);
            string name = meta["name"]!.GetValue<string>();
            string key = Key(resource.Namespaced ? meta["namespace"]?.GetValue<string>() : null, name);
            _objects.TryGetValue((resource, key), out JsonObject? old);
            string? refusal = (mode, old) switch
            {
                (WriteMode.Create, not null) => "AlreadyExists",
                (WriteMode.Update, null) => "NotFound",
                (WriteMode.Update, not null) when expectedVersion is { Length: > 0 } && Meta(old)["resourceVersion"]?.GetValue<string>() != expectedVersion => "Conflict",
                _ => null,
            };
            if (refusal is not null)
            {
                return (null, refusal);
            }

            body["apiVersion"] = resource.ApiVersion;
            body["kind"] = resource.Kind;
            meta["uid"] ??= old is null ? Guid.NewGuid().ToString() : Meta(old)["uid"]?.DeepClone();
            meta["creationTimestamp"] ??= old is null ? DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : Meta(old)["creationTimestamp"]?.DeepClone();
            long revision = ++_revision;
            meta["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
            var stored = (JsonObject)body.DeepClone();
            _objects[(resource, key)] = stored;
            Append(new FakeChange(revision, resource, old is null ? "ADDED" : "MODIFIED", stored, old));
            return ((JsonObject)stored.DeepClone(), null);
        }
    }

    public JsonObject? Delete(FakeResource resource, string? ns, string name)
    {
        lock (_gate)
        {
            if (!_objects.Remove((resource, Key(ns, name)), out JsonObject? old))
            {
                return null;
            }

            long revision = ++_revision;
            var last = (JsonObject)old.DeepClone();
            Meta(last)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
            Append(new FakeChange(revision, resource, "DELETED", last, old));
            return (JsonObject)last.DeepClone();
        }
    }

    /// <summary>The changes of <paramref name="resource"/> after <paramref name="revision"/>, or null when the log no
    /// longer reaches back that far (compacted: 410 Gone).</summary>
    public List<FakeChange>? ChangesAfter(FakeResource resource, long revision)
    {
        lock (_gate)
        {
            return revision < _compacted ? null : _log.Where(c => c.Resource == resource && c.Revision > revision).ToList();
        }
    }

    /// <summary>Forgets the log up to now, as etcd's compaction does: a watch from an older revision is 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compacted = _revision;
            _log.Clear();
        }
    }

    public static JsonObject Meta(JsonObject o) => o["metadata"] as JsonObject ?? throw new InvalidOperationException("an object without metadata");

    public static string? Namespace(JsonObject o) => Meta(o)["namespace"]?.GetValue<string>();

    private void Append(FakeChange change)
    {
        _log.Add(change);
        TaskCompletionSource changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }
}

internal enum WriteMode
{
    Create,
    Update,
    Upsert,
}
