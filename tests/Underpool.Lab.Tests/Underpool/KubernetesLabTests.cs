using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s.Models;
using Underpool.Api.Contracts;
using Underpool.Testing.Kubernetes;
using Xunit.Abstractions;

namespace Underpool.Lab.Tests;

/// <summary>Agents in Kubernetes mode on real macvlan in namespaces, against a FAKE Kubernetes API server: who a pod
/// is, what it asks for and when its addresses go come from the API objects alone, never from CNI_ARGS by hand.</summary>
public sealed class KubernetesLabTests(ITestOutputHelper output)
{
    private const string Subnet = "172.20.1.0/24";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_statefulset_pod_deleted_on_node1_and_re_created_on_node2_keeps_its_address()
    {
        await using KubernetesLab k8s = await KubernetesLab.CreateAsync(2, Subnet);
        await CreatePoolsAsync(k8s);
        k8s.Api.Put(KubeObjects.StatefulSet("shop", "web", replicas: 1));
        V1OwnerReference owner = KubeObjects.Controller("apps/v1", "StatefulSet", "web");

        V1Pod first = k8s.PutPod("shop", "web-0", 0, owner: owner);
        (CniInvocation add, CniRequest request) = await k8s.AddAsync(first, 0, ["lab"]);
        Assert.True(add.Succeeded, add.Describe() + k8s.Lab.Logs());
        Assert.True((await k8s.Lab.Cni.InvokeAsync(request with { Command = CniVerb.Del, PrevResult = add.Result })).Succeeded);
        k8s.Api.Delete<V1Pod>("shop", "web-0");
        V1Pod other = k8s.PutPod("shop", "other", 0);
        (CniInvocation bystander, _) = await k8s.AddAsync(other, 0, ["lab"]);
        V1Pod again = k8s.PutPod("shop", "web-0", 1, owner: owner);
        (CniInvocation moved, _) = await k8s.AddAsync(again, 1, ["lab"]);

        Assert.True(moved.Succeeded, moved.Describe() + k8s.Lab.Logs());
        Assert.Equal(add.Addresses, moved.Addresses);
        Assert.NotEqual(add.Addresses, bystander.Addresses);
        AllocationView held = Assert.Single(k8s.Allocations(), a => a.PodName == "web-0");
        Assert.Equal((true, again.Metadata.Uid), (held.Static, held.PodUid));
    }

    [Fact]
    public async Task A_deleted_pods_address_is_released_by_the_elected_agent_without_a_del()
    {
        await using KubernetesLab k8s = await KubernetesLab.CreateAsync(2, Subnet);
        await CreatePoolsAsync(k8s);
        V1Pod pod = k8s.PutPod("shop", "job-a", 1);
        V1Pod keeper = k8s.PutPod("shop", "job-b", 1);
        Assert.True((await k8s.AddAsync(pod, 1, ["lab"])).Add.Succeeded, k8s.Lab.Logs());
        Assert.True((await k8s.AddAsync(keeper, 1, ["lab"])).Add.Succeeded, k8s.Lab.Logs());

        // No DEL: the node died with it, or its runtime lost the DEL; only the API server says it is gone.
        var clock = Stopwatch.StartNew();
        k8s.Api.Delete<V1Pod>("shop", "job-a");
        await Condition.WaitUntilAsync(
            _ => Task.FromResult(k8s.Allocations().All(a => a.PodName != "job-a")), Generous, "job-a's address released");
        output.WriteLine($"delete-to-release: {clock.Elapsed.TotalMilliseconds:F0} ms");

        Assert.Contains(k8s.Allocations(), a => a.PodName == "job-b");
        Assert.Equal(1, k8s.Released("pod_deleted"));
    }

    [Fact]
    public async Task A_pod_chooses_its_pool_by_api_annotation_by_args_cni_as_multus_writes_it_and_by_containerds_pod_annotations()
    {
        await using KubernetesLab k8s = await KubernetesLab.CreateAsync(1, Subnet);
        await CreatePoolsAsync(k8s);
        const string blue = """{"ipv4":["blue"]}""";

        V1Pod annotated = k8s.PutPod("shop", "by-api", 0, annotations: new Dictionary<string, string> { ["underpool.io/pools"] = blue });
        (CniInvocation byApi, _) = await k8s.AddAsync(annotated, 0, ["lab"]);
        (CniInvocation byCniArgs, _) = await k8s.AddAsync(k8s.PutPod("shop", "by-cni-args", 0), 0, ["lab"], netconf: c =>
            c["args"] = new JsonObject { ["cni"] = new JsonObject { ["underpool.io/pools"] = blue } });
        (CniInvocation byRuntime, _) = await k8s.AddAsync(k8s.PutPod("shop", "by-runtime", 0), 0, ["lab"], netconf: c =>
        {
            c["capabilities"] = new JsonObject { ["io.kubernetes.cri.pod-annotations"] = true };
            c["runtimeConfig"] = new JsonObject { ["io.kubernetes.cri.pod-annotations"] = new JsonObject { ["underpool.io/pools"] = blue, ["other/x"] = "y" } };
        });
        (CniInvocation plain, _) = await k8s.AddAsync(k8s.PutPod("shop", "plain", 0), 0, ["lab"]);

        foreach (CniInvocation add in new[] { byApi, byCniArgs, byRuntime, plain })
        {
            Assert.True(add.Succeeded, add.Describe() + k8s.Lab.Logs());
        }

        Assert.Equal(
            [("by-api", "blue"), ("by-cni-args", "blue"), ("by-runtime", "blue"), ("plain", "lab")],
            k8s.Allocations().OrderBy(a => a.PodName, StringComparer.Ordinal).Select(a => (a.PodName, a.Pool)));
    }

    [Fact]
    public async Task With_the_api_server_gone_an_add_answers_code_11_naming_it_then_works_once_it_is_back()
    {
        await using KubernetesLab k8s = await KubernetesLab.CreateAsync(1, Subnet);
        await CreatePoolsAsync(k8s);
        await k8s.Api.StopAsync();
        V1Pod pod = k8s.PutPod("shop", "late", 0); // Created while the agents cannot see it: the ADD must ask.

        (CniInvocation down, CniRequest request) = await k8s.AddAsync(pod, 0, ["lab"]);
        await k8s.Api.StartAsync();
        Assert.True((await k8s.Lab.Cni.InvokeAsync(request with { Command = CniVerb.Del })).Succeeded); // As a runtime does after a failed ADD.
        CniInvocation back = await k8s.Lab.Cni.InvokeAsync(request);

        Assert.Equal(11, down.Error?.Code);
        Assert.Contains($"Kubernetes API server {k8s.Api.Url}", down.Error!.ToString(), StringComparison.Ordinal);
        Assert.True(back.Succeeded, back.Describe() + k8s.Lab.Logs());
    }

    [Fact]
    public async Task Scaling_a_statefulset_down_releases_the_dropped_ordinals_static_address_only()
    {
        await using KubernetesLab k8s = await KubernetesLab.CreateAsync(1, Subnet);
        await CreatePoolsAsync(k8s);
        k8s.Api.Put(KubeObjects.StatefulSet("shop", "db", replicas: 2));
        V1OwnerReference owner = KubeObjects.Controller("apps/v1", "StatefulSet", "db");
        var adds = new List<(CniInvocation Add, CniRequest Request)>();
        foreach (string name in new[] { "db-0", "db-1" })
        {
            adds.Add(await k8s.AddAsync(k8s.PutPod("shop", name, 0, owner: owner), 0, ["lab"]));
            Assert.True(adds[^1].Add.Succeeded, adds[^1].Add.Describe() + k8s.Lab.Logs());
        }

        k8s.Api.Put(KubeObjects.StatefulSet("shop", "db", replicas: 1));
        Assert.True((await k8s.Lab.Cni.InvokeAsync(adds[1].Request with { Command = CniVerb.Del, PrevResult = adds[1].Add.Result })).Succeeded);
        k8s.Api.Delete<V1Pod>("shop", "db-1");
        await Condition.WaitUntilAsync(
            _ => Task.FromResult(k8s.Allocations().All(a => a.PodName != "db-1")), Generous, "db-1's static address released");

        Assert.Contains(k8s.Allocations(), a => a.PodName == "db-0" && a.Static);
        Assert.Equal(1, k8s.Released("statefulset_scaled_down"));
    }

    [Fact]
    public async Task A_deployments_application_pool_is_created_follows_its_replicas_serves_its_pods_and_is_reclaimed()
    {
        await using KubernetesLab k8s = await KubernetesLab.CreateAsync(1, Subnet);
        await CreatePoolsAsync(k8s);
        var annotations = new Dictionary<string, string> { ["underpool.io/app-pool-subnet"] = "lab", ["underpool.io/app-pool-size"] = "+1" };

        k8s.Api.Put(KubeObjects.Deployment("shop", "api", 2, annotations));
        await WaitForAppPoolAsync(k8s, "3");
        k8s.Api.Put(KubeObjects.Deployment("shop", "api", 4, annotations));
        await WaitForAppPoolAsync(k8s, "5");
        V1ReplicaSet replicaSet = k8s.Api.Put(KubeObjects.ReplicaSet("shop", "api-7c4b", "api"));
        V1Pod pod = k8s.PutPod("shop", "api-7c4b-q2", 0, owner: KubeObjects.Controller("apps/v1", "ReplicaSet", "api-7c4b", replicaSet.Metadata.Uid));
        (CniInvocation add, _) = await k8s.AddAsync(pod, 0, ["lab"]);
        Assert.True(add.Succeeded, add.Describe() + k8s.Lab.Logs());
        Assert.Equal("api.shop", Assert.Single(k8s.Allocations(), a => a.PodName == "api-7c4b-q2").Pool);

        k8s.Api.Delete<V1Deployment>("shop", "api");
        // The pool goes, and its carved addresses back to "lab" with the pool's allocations ("with whatever they still hold").
        await Condition.WaitUntilAsync(
            _ => Task.FromResult(k8s.Pools().All(p => p.Pool.App != "shop/api") && k8s.Allocations().All(a => a.ContainerId != "api.shop")),
            Generous,
            "shop/api's application pool reclaimed and its addresses back in lab");
        Assert.DoesNotContain(k8s.Allocations(), a => a.PodName == "api-7c4b-q2");
    }

    private static async Task WaitForAppPoolAsync(KubernetesLab k8s, string capacity) =>
        await Condition.WaitUntilAsync(
            _ => Task.FromResult(k8s.Pools().Any(p => p.Pool.App == "shop/api" && p.Usage.Capacity == capacity)),
            Generous,
            $"shop/api's application pool at {capacity} addresses");

    /// <summary>Two pools on the lab subnet: "lab" (the netconf's) and "blue" (chosen by annotation).</summary>
    private static async Task CreatePoolsAsync(KubernetesLab k8s)
    {
        foreach (string pool in new[] { "lab --ranges 172.20.1.10-172.20.1.50", "blue --ranges 172.20.1.60-172.20.1.90" })
        {
            ProcessResult created = await k8s.Lab.CtlAsync(0, $"pool create {pool} --subnet {Subnet}".Split(' '));
            Assert.True(created.Succeeded, created.Describe());
        }
    }
}
