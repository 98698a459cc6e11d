using k8s.Models;
using Underpool.Kubernetes.Owners;
using Underpool.Kubernetes.Pods;

namespace Underpool.Kubernetes.Tests.Owners;

public sealed class OwnerResolverTests : KubernetesFixture
{
    [Fact]
    public async Task A_Deployment_pod_is_resolved_through_its_ReplicaSet_with_one_GET_per_ReplicaSet()
    {
        V1ReplicaSet rs = Server.Put(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web-5d4f", NamespaceProperty = "shop", OwnerReferences = [Objects.Controller("apps/v1", "Deployment", "web")] },
        });
        var resolver = new OwnerResolver(new ReplicaSetOwnerCache(Api));
        PodInfo pod = PodMapping.ToInfo(Objects.Pod("shop", "web-5d4f-abcde", owner: Objects.Controller("apps/v1", "ReplicaSet", "web-5d4f", rs.Metadata.Uid)));

        WorkloadOwner? first = await resolver.ResolveAsync(pod, TimeSpan.FromSeconds(2), default);
        WorkloadOwner? second = await resolver.ResolveAsync(pod with { Name = "web-5d4f-fghij" }, TimeSpan.FromSeconds(2), default);

        Assert.Equal(new WorkloadOwner("Deployment", "web", false, "shop/web"), first);
        Assert.Equal(first, second);
        Assert.Equal(1, Server.RequestCount("get", Testing.Kubernetes.FakeResources.ReplicaSets));
    }

    [Fact]
    public async Task A_ReplicaSet_that_is_gone_leaves_the_pod_owned_by_the_ReplicaSet()
    {
        var resolver = new OwnerResolver(new ReplicaSetOwnerCache(Api));
        PodInfo pod = PodMapping.ToInfo(Objects.Pod("shop", "web-5d4f-abcde", owner: Objects.Controller("apps/v1", "ReplicaSet", "web-5d4f")));

        WorkloadOwner? owner = await resolver.ResolveAsync(pod, TimeSpan.FromSeconds(2), default);

        Assert.Equal(new WorkloadOwner("ReplicaSet", "web-5d4f", false, null), owner);
    }

    [Fact]
    public async Task A_StatefulSet_pod_needs_no_API_call()
    {
        var resolver = new OwnerResolver(new ReplicaSetOwnerCache(Api));
        await Server.StopAsync();
        PodInfo pod = PodMapping.ToInfo(Objects.Pod("db", "pg-0", owner: Objects.Controller("apps/v1", "StatefulSet", "pg")));

        WorkloadOwner? owner = await resolver.ResolveAsync(pod, TimeSpan.FromSeconds(2), default);

        Assert.Equal(new WorkloadOwner("StatefulSet", "pg", true, null), owner);
    }
}
