using k8s.Models;

namespace Underpool.KubeCache;

/// <summary>Pods as a Deployment's ReplicaSet makes them, with what a real cluster adds: kubectl's
/// last-applied-configuration (a whole manifest), a few labels and annotations, two containers with env, resources
/// and probes, and a status with conditions and container statuses.</summary>
internal static class RealisticPods
{
    private static readonly string[] ConditionTypes = ["Initialized", "Ready", "ContainersReady", "PodScheduled"];

    public static V1Pod Make(int i, string node)
    {
        string app = $"app{i % 40}";
        string name = $"{app}-7d9f8c6b5-{i:x5}";
        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = $"team{i % 10}",
                Labels = new Dictionary<string, string> { ["app"] = app, ["pod-template-hash"] = "7d9f8c6b5", ["version"] = "v1.4.2", ["tier"] = "backend" },
                Annotations = new Dictionary<string, string>
                {
                    ["underpool.io/pools"] = """{"ipv4":["vlan20-a"],"ipv6":["vlan20-v6"]}""",
                    ["prometheus.io/scrape"] = "true",
                    ["prometheus.io/port"] = "9090",
                    ["kubectl.kubernetes.io/last-applied-configuration"] = LastApplied(app),
                },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = $"{app}-7d9f8c6b5", Uid = Guid.NewGuid().ToString(), Controller = true, BlockOwnerDeletion = true }],
            },
            Spec = new V1PodSpec
            {
                NodeName = node,
                ServiceAccountName = "default",
                Containers = [Container(app, 8080), Container("sidecar", 9090)],
            },
            Status = new V1PodStatus
            {
                Phase = "Running",
                PodIP = $"10.20.{i / 250}.{i % 250 + 2}",
                HostIP = "192.168.1.10",
                StartTime = DateTime.UtcNow,
                Conditions = ConditionTypes.Select(t => new V1PodCondition { Type = t, Status = "True", LastTransitionTime = DateTime.UtcNow }).ToList(),
                ContainerStatuses = [Status(app), Status("sidecar")],
            },
        };
    }

    private static V1Container Container(string name, int port) => new()
    {
        Name = name,
        Image = $"registry.example.com/{name}:v1.4.2",
        Ports = [new V1ContainerPort { ContainerPort = port, Name = "http", Protocol = "TCP" }],
        Env = Enumerable.Range(0, 6).Select(e => new V1EnvVar { Name = $"SETTING_{e}", Value = $"value-{e}-{name}" }).ToList(),
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("256Mi") },
        },
        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = port }, PeriodSeconds = 10 },
    };

    private static V1ContainerStatus Status(string name) => new()
    {
        Name = name,
        Ready = true,
        RestartCount = 0,
        Image = $"registry.example.com/{name}:v1.4.2",
        ImageID = "registry.example.com/x@sha256:" + new string('a', 64),
        ContainerID = "containerd://" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
        State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } },
    };

    private static string LastApplied(string app) =>
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"APP","namespace":"team"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"APP"}},"template":{"metadata":{"labels":{"app":"APP"},"annotations":{"underpool.io/pools":"{\"ipv4\":[\"vlan20-a\"]}"}},"spec":{"containers":[{"name":"APP","image":"registry.example.com/APP:v1.4.2","ports":[{"containerPort":8080}],"resources":{"requests":{"cpu":"100m","memory":"128Mi"}}}]}}}}"""
            .Replace("APP", app, StringComparison.Ordinal);
}
