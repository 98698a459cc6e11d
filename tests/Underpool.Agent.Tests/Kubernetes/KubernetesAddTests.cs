using System.Text.Json;
using k8s.Models;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;
using Underpool.Testing.Kubernetes;

namespace Underpool.Agent.Tests.Kubernetes;

public sealed class KubernetesAddTests : IAsyncLifetime
{
    private KubernetesAgent _k8s = null!; // set in InitializeAsync

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesAgent.StartAsync();
        await _k8s.Agent.CreatePoolAsync(PoolDefinitions.V4("v4", "172.20.1.0/24"));
        await _k8s.Agent.CreatePoolAsync(PoolDefinitions.V4("blue", "172.20.2.0/24", gateway: "172.20.2.1"));
    }

    public async Task DisposeAsync() => await _k8s.DisposeAsync();

    [Fact]
    public async Task A_StatefulSet_pod_is_a_static_endpoint_found_from_its_owner_reference_alone()
    {
        string uid = Put(KubeObjects.Pod("shop", "web-0", owner: KubeObjects.Controller("apps/v1", "StatefulSet", "web")));

        ApiResult<CniAddResponse> add = await _k8s.AddAsync("shop", "web-0", uid, v4: ["v4"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        AllocationView held = Assert.Single(await _k8s.Agent.AllocationsAsync());
        Assert.True(held.Static);
        EndpointView endpoint = Assert.Single(_k8s.Agent.Client.ListEndpoints().Value!.Endpoints);
        Assert.Equal(("StatefulSet", "web"), (endpoint.OwnerKind, endpoint.OwnerName));
    }

    [Fact]
    public async Task A_Deployment_pod_is_not_static_and_draws_from_its_Deployments_application_pool()
    {
        V1ReplicaSet replicaSet = _k8s.Server.Put(KubeObjects.ReplicaSet("shop", "api-5d9f", "api"));
        string uid = Put(KubeObjects.Pod("shop", "api-5d9f-x1", owner: KubeObjects.Controller("apps/v1", "ReplicaSet", "api-5d9f", replicaSet.Metadata.Uid)));
        Assert.True(_k8s.Agent.Client.CreateAppPool(new AppPoolCreate { Name = "api", Parent = "v4", App = "shop/api", Size = 2 }).IsSuccess);

        ApiResult<CniAddResponse> add = await _k8s.AddAsync("shop", "api-5d9f-x1", uid, v4: ["v4"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal("api", Assert.Single(add.Value!.Ips).Pool);
        Assert.False(Assert.Single(await _k8s.Agent.AllocationsAsync("api")).Static);
    }

    [Fact]
    public async Task The_pods_pools_annotation_chooses_the_pool_over_the_netconfs_and_the_answer_names_the_choice()
    {
        string uid = Put(KubeObjects.Pod("shop", "web-0", annotations: new Dictionary<string, string> { ["underpool.io/pools"] = """{"ipv4":["blue"]}""" }));

        ApiResult<CniAddResponse> add = await _k8s.AddAsync("shop", "web-0", uid, v4: ["v4"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal("blue", Assert.Single(add.Value!.Ips).Pool);
        Assert.Equal(["blue"], add.Value.ChosenPools!.Ipv4);
    }

    [Fact]
    public async Task A_malformed_pools_annotation_fails_the_add_naming_the_annotation_and_the_pod_and_takes_nothing()
    {
        string uid = Put(KubeObjects.Pod("shop", "web-0", annotations: new Dictionary<string, string> { ["underpool.io/pools"] = "{ipv4:" }));

        ApiResult<CniAddResponse> add = await _k8s.AddAsync("shop", "web-0", uid, v4: ["v4"]);

        Assert.Equal(7, add.Problem!.CniCode);
        Assert.Contains("annotation underpool.io/pools of pod shop/web-0", add.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await _k8s.Agent.AllocationsAsync());
    }

    [Fact]
    public async Task An_add_for_another_uid_of_the_pod_is_refused_and_takes_nothing()
    {
        Put(KubeObjects.Pod("shop", "web-0"));

        ApiResult<CniAddResponse> add = await _k8s.AddAsync("shop", "web-0", "0f0f0f0f-old-uid", v4: ["v4"]);

        Assert.Equal((409, 7), (add.Problem!.Status, add.Problem.CniCode));
        Assert.Contains("pod shop/web-0 has uid", add.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await _k8s.Agent.AllocationsAsync());
    }

    [Fact]
    public async Task An_add_for_a_pod_the_api_server_does_not_have_is_refused_naming_it()
    {
        ApiResult<CniAddResponse> add = await _k8s.AddAsync("shop", "ghost-0", "u1", v4: ["v4"]);

        Assert.Equal((404, 7), (add.Problem!.Status, add.Problem.CniCode));
        Assert.Contains("pod shop/ghost-0 does not exist", add.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_api_server_gone_an_add_answers_code_11_naming_it_and_works_again_once_it_is_back()
    {
        // Created while the server is down: the agent's pod cache cannot have it, so the ADD must ask.
        await _k8s.Server.StopAsync();
        string uid = Put(KubeObjects.Pod("shop", "web-0"));

        ApiResult<CniAddResponse> down = await _k8s.AddAsync("shop", "web-0", uid, v4: ["v4"]);
        await _k8s.Server.StartAsync();
        ApiResult<CniAddResponse> back = await _k8s.AddAsync("shop", "web-0", uid, v4: ["v4"]);

        Assert.Equal(11, down.Problem!.CniCode);
        Assert.Contains($"Kubernetes API server {_k8s.Server.Url}", down.Problem.Detail, StringComparison.Ordinal);
        Assert.True(back.IsSuccess, back.Problem?.Detail);
    }

    [Fact]
    public async Task A_pool_for_a_node_label_is_used_once_the_node_object_carries_the_label()
    {
        Assert.True(_k8s.Agent.Client.CreatePool(new PoolDefinition { Name = "zone-a", Subnet = "172.20.3.0/24", NodeSelector = "topology.kubernetes.io/zone=a" }).IsSuccess);
        string uid = Put(KubeObjects.Pod("shop", "web-0"));
        ApiResult<CniAddResponse> before = await _k8s.AddAsync("shop", "web-0", uid, v4: ["zone-a"]);

        _k8s.Server.Put(KubeObjects.Node("node1", new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "a" }));
        ApiResult<CniAddResponse> after = default;
        await Condition.WaitUntilAsync(
            async _ => (after = await _k8s.AddAsync("shop", "web-0", uid, v4: ["zone-a"])).IsSuccess,
            TimeSpan.FromSeconds(15),
            "an ADD from pool zone-a once node1 has label zone=a");

        Assert.False(before.IsSuccess);
        Assert.Equal("zone-a", Assert.Single(after.Value!.Ips).Pool);
    }

    [Fact]
    public async Task A_failed_allocation_is_recorded_as_a_warning_event_on_the_pod()
    {
        string uid = Put(KubeObjects.Pod("shop", "web-0"));

        ApiResult<CniAddResponse> add = await _k8s.AddAsync("shop", "web-0", uid, v4: ["no-such-pool"]);

        Assert.False(add.IsSuccess);
        await Condition.WaitUntilAsync(_ => Task.FromResult(_k8s.Server.List<Corev1Event>().Count > 0), TimeSpan.FromSeconds(15), "an Event on pod shop/web-0");
        Corev1Event recorded = Assert.Single(_k8s.Server.List<Corev1Event>());
        Assert.Equal(("Pod", "web-0", uid, "Warning"), (recorded.InvolvedObject.Kind, recorded.InvolvedObject.Name, recorded.InvolvedObject.Uid, recorded.Type));
        Assert.Contains("no-such-pool", recorded.Message, StringComparison.Ordinal);
    }

    private string Put(V1Pod pod) => _k8s.Server.Put(pod).Metadata.Uid;
}
