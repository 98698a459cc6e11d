using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Underpool.Kubernetes.Api;
using Underpool.Testing;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests;

/// <summary>The base of the integration tests: a fake API server of its own per test, and the real client on it.</summary>
public abstract class KubernetesFixture : IAsyncLifetime
{
    /// <summary>Fast retries, so recovery tests take milliseconds, not the production half second.</summary>
    internal static readonly Backoff FastBackoff = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400));

    internal static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    internal FakeKubernetesApiServer Server { get; private set; } = null!;

    internal KubernetesApi Api { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Server = await FakeKubernetesApiServer.StartNewAsync();
        Server.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        Api = NewApi(TimeSpan.FromSeconds(2));
    }

    public virtual async Task DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }

    internal KubernetesApi NewApi(TimeSpan deadline) => KubernetesApi.Create(Server.ClientConfiguration(), deadline);

    internal static Task WaitAsync(Func<bool> condition, string description) =>
        Condition.WaitUntilAsync(_ => Task.FromResult(condition()), Generous, description);

    internal static NullLogger Log => NullLogger.Instance;
}

/// <summary>Kubernetes objects as tests write them.</summary>
internal static class Objects
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
}
