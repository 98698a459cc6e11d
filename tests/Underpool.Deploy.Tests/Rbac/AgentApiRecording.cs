using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Events;
using Underpool.Kubernetes.Leadership;
using Underpool.Kubernetes.Namespaces;
using Underpool.Kubernetes.Nodes;
using Underpool.Kubernetes.Owners;
using Underpool.Kubernetes.Pods;
using Underpool.Kubernetes.Watching;
using Underpool.Testing;
using Underpool.Testing.Kubernetes;

namespace Underpool.Deploy.Tests.Rbac;

/// <summary>Every request the agent's Kubernetes code makes, as the fake API server records it: each component of
/// Underpool.Kubernetes that talks to the API is driven through each of its calls — a node agent's caches and an ADD's
/// lookups (a pod and a namespace the caches do not have, a Deployment pod's ReplicaSet), the elected agent's caches,
/// leader election including giving the Lease up, and a Warning Event with its repeat.</summary>
/// <remarks>Driven here rather than collected from the Kubernetes tests' runs: those run in another test project
/// (after this one, in scripts/test.sh's order, and not at all in a focused run), and what they ask depends on which of
/// their tests ran. Here the set is complete by construction and the same on every run.</remarks>
internal static class AgentApiRecording
{
    private static readonly Backoff Fast = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400));
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyCollection<FakeApiRequest>> RecordAsync(string agentNamespace)
    {
        await using FakeKubernetesApiServer server = await FakeKubernetesApiServer.StartNewAsync();
        Seed(server);
        using KubernetesApi api = KubernetesApi.Create(server.ClientConfiguration(), TimeSpan.FromSeconds(5));
        var log = NullLogger.Instance;

        await using PodDirectory nodePods = PodDirectory.ForNode(api, "node1", Fast, log);
        await using var nodeLabels = new NodeLabelsFollower(api, "node1", Fast, log);
        await using var namespaces = new NamespaceDirectory(api, Fast, log);
        await using PodDirectory clusterPods = PodDirectory.ForCluster(api, Fast, log);
        await using var nodes = new ResourceFollower<V1Node, NodeInfo>(api, WatchSources.Nodes(null), Fast, log);
        await using var statefulSets = new ResourceFollower<V1StatefulSet, Underpool.Kubernetes.Lifecycle.StatefulSetInfo>(api, WatchSources.StatefulSets(), Fast, log);
        await using var deployments = new ResourceFollower<V1Deployment, Underpool.Kubernetes.Lifecycle.DeploymentInfo>(api, WatchSources.Deployments(), Fast, log);
        nodePods.Start();
        nodeLabels.Start();
        namespaces.Start();
        clusterPods.Start();
        nodes.Start();
        statefulSets.Start();
        deployments.Start();

        await AddLookupsAsync(api, nodePods, namespaces);
        await ElectAndStepDownAsync(api, agentNamespace);
        var events = new PodEventRecorder(api, "node1", log);
        var subject = new EventSubject("shop", "web-1-abcde", "uid-web");
        await events.WarnAsync(subject, "PoolsExhausted", "pool vlan20-a has no free address", CancellationToken.None);
        await events.WarnAsync(subject, "PoolsExhausted", "pool vlan20-a has no free address", CancellationToken.None);

        await Condition.WaitUntilAsync(
            _ => Task.FromResult(server.Requests.Count(r => r.Verb == "watch") >= 5),
            Generous,
            "every follower to watch");
        return server.Requests;
    }

    private static void Seed(FakeKubernetesApiServer server)
    {
        server.Put(new V1Node { Metadata = new V1ObjectMeta { Name = "node1", Labels = new Dictionary<string, string> { ["rack"] = "r1" } } });
        server.Put(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });
        V1Deployment deployment = server.Put(new V1Deployment { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop" }, Spec = new V1DeploymentSpec { Replicas = 1 } });
        server.Put(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web-1",
                NamespaceProperty = "shop",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web", Uid = deployment.Metadata.Uid, Controller = true }],
            },
        });
        server.Put(new V1StatefulSet { Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "shop" }, Spec = new V1StatefulSetSpec { Replicas = 1 } });
    }

    private static async Task AddLookupsAsync(KubernetesApi api, PodDirectory nodePods, NamespaceDirectory namespaces)
    {
        await nodePods.Follower.WaitSyncedAsync(CancellationToken.None).WaitAsync(Generous);
        await namespaces.Follower.WaitSyncedAsync(CancellationToken.None).WaitAsync(Generous);

        // A pod the cache does not have: one GET (the pod does not exist: the ADD would fail naming it).
        await Assert.ThrowsAsync<PodIdentityException>(() => nodePods.GetAsync("shop", "web-1-new", null, TimeSpan.FromSeconds(5), CancellationToken.None));
        await namespaces.AnnotationsAsync("created-just-now", TimeSpan.FromSeconds(5), CancellationToken.None);
        OwnerReference? owner = await new ReplicaSetOwnerCache(api).ControllerOfAsync("shop", "web-1", null, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal("Deployment", owner?.Kind);
    }

    private static async Task ElectAndStepDownAsync(KubernetesApi api, string agentNamespace)
    {
        var options = new LeaderElectionOptions
        {
            Namespace = agentNamespace,
            Identity = "node1",
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        };
        await using var elector = new LeaseElector(api, options, NullLogger.Instance);
        elector.Start();
        await Condition.WaitUntilAsync(_ => Task.FromResult(elector.IsLeader), Generous, "the agent to lead");
        // Giving the lease up on a clean stop reads it and writes it back without a holder.
        await elector.StopAsync(release: true);
    }
}
