using k8s.Models;
using Underpool.Kubernetes.Lifecycle;
using Underpool.Kubernetes.Nodes;
using Underpool.Kubernetes.Watching;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests.Watching;

/// <summary>The elected agent's caches: what they keep, and the tombstone a deletion leaves for the lifecycle rules.</summary>
public sealed class WatchSourcesTests : KubernetesFixture
{
    [Fact]
    public async Task A_deleted_StatefulSet_leaves_its_last_state_including_keep()
    {
        Server.Put(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "shop", Annotations = new Dictionary<string, string> { ["underpool.io/keep"] = "true" } },
            Spec = new V1StatefulSetSpec { Replicas = 3 },
        });
        await using var follower = new ResourceFollower<V1StatefulSet, StatefulSetInfo>(Api, WatchSources.StatefulSets(), FastBackoff, Log);
        var tombstone = new TaskCompletionSource<StatefulSetInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        follower.Cache.Changed += c =>
        {
            if (c.New is null)
            {
                tombstone.TrySetResult(c.Old!);
            }
        };
        follower.Start();
        await follower.WaitSyncedAsync(default).WaitAsync(Generous);
        StatefulSetInfo live = follower.Cache.Get("shop/db")!;

        Server.Delete<V1StatefulSet>("shop", "db");

        StatefulSetInfo last = await tombstone.Task.WaitAsync(Generous);
        Assert.Equal((3, true), (live.Replicas, live.Keep));
        Assert.Equal(live with { }, last);
        Assert.Contains(new FakeApiRequest("watch", "apps", "statefulsets", null), Server.Requests);
    }

    [Fact]
    public async Task A_Deployment_keeps_its_replicas_and_only_our_annotations()
    {
        Server.Put(new V1Deployment
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web",
                NamespaceProperty = "shop",
                Annotations = new Dictionary<string, string> { ["underpool.io/app-pool-subnet"] = "vlan20", ["deployment.kubernetes.io/revision"] = "4" },
            },
            Spec = new V1DeploymentSpec { Replicas = 4, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        });
        await using var follower = new ResourceFollower<V1Deployment, DeploymentInfo>(Api, WatchSources.Deployments(), FastBackoff, Log);
        follower.Start();
        await follower.WaitSyncedAsync(default).WaitAsync(Generous);

        DeploymentInfo web = follower.Cache.Get("shop/web")!;

        Assert.Equal(4, web.Replicas);
        Assert.Equal(["underpool.io/app-pool-subnet"], web.Annotations.Keys);
        Assert.Contains(new FakeApiRequest("list", "apps", "deployments", null), Server.Requests);
    }

    [Fact]
    public async Task Every_node_is_followed_with_its_readiness_for_the_elected_agent()
    {
        Server.Put(Objects.Node("node1"));
        Server.Put(Objects.Node("node2", ready: "Unknown"));
        await using var follower = new ResourceFollower<V1Node, NodeInfo>(Api, WatchSources.Nodes(null), FastBackoff, Log);
        follower.Start();
        await follower.WaitSyncedAsync(default).WaitAsync(Generous);

        Assert.Equal([("node1", (bool?)true), ("node2", null)], follower.Cache.Snapshot().OrderBy(n => n.Name).Select(n => (n.Name, n.Ready)));
    }
}
