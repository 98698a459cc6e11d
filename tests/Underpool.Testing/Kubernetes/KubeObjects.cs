using k8s.Models;

namespace Underpool.Testing.Kubernetes;

/// <summary>Kubernetes objects as tests write them.</summary>
public static class KubeObjects
{
    public static V1Pod Pod(string ns, string name, string? node = "node1", IDictionary<string, string>? annotations = null, V1OwnerReference? owner = null, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Annotations = annotations,
            Labels = new Dictionary<string, string> { ["app"] = name.Split('-')[0] },
            OwnerReferences = owner is null ? null : [owner],
        },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        Status = new V1PodStatus { Phase = phase },
    };

    public static V1OwnerReference Controller(string apiVersion, string kind, string name, string? uid = null) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = uid ?? Guid.NewGuid().ToString(), Controller = true };

    public static V1Node Node(string name, IDictionary<string, string>? labels = null, string ready = "True") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready }] },
    };

    public static V1Namespace Namespace(string name, IDictionary<string, string>? annotations = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Annotations = annotations } };

    public static V1StatefulSet StatefulSet(string ns, string name, int replicas, IDictionary<string, string>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations },
        Spec = new V1StatefulSetSpec { Replicas = replicas, ServiceName = name, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
    };

    public static V1Deployment Deployment(string ns, string name, int replicas, IDictionary<string, string>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations },
        Spec = new V1DeploymentSpec { Replicas = replicas, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
    };

    /// <summary>A ReplicaSet controlled by Deployment <paramref name="deployment"/>, as a Deployment's rollout makes it.</summary>
    public static V1ReplicaSet ReplicaSet(string ns, string name, string deployment) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, OwnerReferences = [Controller("apps/v1", "Deployment", deployment)] },
        Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
    };
}
