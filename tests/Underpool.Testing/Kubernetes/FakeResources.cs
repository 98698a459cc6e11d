namespace Underpool.Testing.Kubernetes;

/// <summary>One kind of object the fake serves: where it lives in the URL space and what it is called.</summary>
public sealed record FakeResource(string Group, string Version, string Resource, string Kind, bool Namespaced)
{
    /// <summary>"v1" or "apps/v1": the objects' apiVersion.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>Exactly the resources the agent uses; a request for any other is a 404, as for an API the server lacks.</summary>
public static class FakeResources
{
    public static readonly FakeResource Pods = new("", "v1", "pods", "Pod", true);
    public static readonly FakeResource Nodes = new("", "v1", "nodes", "Node", false);
    public static readonly FakeResource Namespaces = new("", "v1", "namespaces", "Namespace", false);
    public static readonly FakeResource Events = new("", "v1", "events", "Event", true);
    public static readonly FakeResource ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", true);
    public static readonly FakeResource Deployments = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly FakeResource StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true);
    public static readonly FakeResource Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);

    public static IReadOnlyList<FakeResource> All { get; } = [Pods, Nodes, Namespaces, Events, ReplicaSets, Deployments, StatefulSets, Leases];

    public static FakeResource? Find(string group, string version, string resource) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Resource == resource);

    public static FakeResource OfKind(string kind) =>
        All.FirstOrDefault(r => r.Kind == kind) ?? throw new ArgumentException($"the fake API server does not serve kind {kind}", nameof(kind));
}
