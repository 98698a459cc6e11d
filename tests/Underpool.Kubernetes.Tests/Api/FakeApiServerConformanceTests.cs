using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Underpool.Kubernetes.Watching;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests.Api;

/// <summary>The fake answers as the real API server does, read through the real client (KubernetesClient.Aot) and our
/// watch.</summary>
public sealed class FakeApiServerConformanceTests : KubernetesFixture
{
    [Fact]
    public async Task A_missing_object_is_404_with_a_Status_body()
    {
        HttpOperationException e = await Assert.ThrowsAsync<HttpOperationException>(() => Api.Client.CoreV1.ReadNamespacedPodAsync("ghost", "shop"));

        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        V1Status status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal(("Failure", "NotFound", 404, "pods \"ghost\" not found"), (status.Status, status.Reason, status.Code, status.Message));
    }

    [Fact]
    public async Task Creating_what_exists_is_409_AlreadyExists_and_a_stale_update_is_409_Conflict()
    {
        V1Lease lease = await Api.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease { Metadata = new V1ObjectMeta { Name = "l" }, Spec = new V1LeaseSpec() }, "ns");
        HttpOperationException exists = await Assert.ThrowsAsync<HttpOperationException>(
            () => Api.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease { Metadata = new V1ObjectMeta { Name = "l" } }, "ns"));
        lease.Spec.HolderIdentity = "a";
        V1Lease updated = await Api.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "l", "ns");
        lease.Spec.HolderIdentity = "b"; // Still the old resourceVersion.
        HttpOperationException stale = await Assert.ThrowsAsync<HttpOperationException>(() => Api.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "l", "ns"));

        Assert.Equal(HttpStatusCode.Conflict, exists.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", exists.Response.Content, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Contains("\"reason\":\"Conflict\"", stale.Response.Content, StringComparison.Ordinal);
        Assert.NotEqual(lease.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.Equal("a", Server.Get<V1Lease>("ns", "l")!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task A_list_carries_the_resourceVersion_and_a_watch_from_it_sees_only_later_changes()
    {
        Server.Put(KubeObjects.Pod("shop", "web-0"));
        V1PodList list = await Api.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node1");
        Server.Put(KubeObjects.Pod("shop", "web-1"));
        Server.Put(KubeObjects.Pod("shop", "web-2", node: "node2"));
        using var cancel = new CancellationTokenSource(Generous);

        var seen = new List<string>();
        await foreach (WatchEvent<V1Pod> e in Api.Client.WatchAsync(
            "api/v1/pods", "spec.nodeName=node1", list.Metadata.ResourceVersion, 60, SourceGenerationContext.Default.V1Pod, cancel.Token))
        {
            seen.Add($"{e.Kind} {e.Object!.Metadata.Name}");
            break;
        }

        Assert.Equal(["web-0"], list.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["Added web-1"], seen);
    }

    [Fact]
    public async Task An_unsupported_field_selector_is_refused_as_the_real_server_does()
    {
        HttpOperationException e = await Assert.ThrowsAsync<HttpOperationException>(() => Api.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.podIP=1.2.3.4"));

        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
    }

    [Fact]
    public async Task The_fake_comes_back_on_the_same_port_with_its_state()
    {
        Server.Put(KubeObjects.Pod("shop", "web-0"));
        int port = Server.Port;

        await Server.StopAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Api.Client.CoreV1.ListPodForAllNamespacesAsync());
        await Server.StartAsync();

        Assert.Equal(port, Server.Port);
        Assert.Single((await Api.Client.CoreV1.ListPodForAllNamespacesAsync()).Items);
    }

    [Fact]
    public async Task A_kubeconfig_file_points_the_client_at_the_fake()
    {
        using var dir = new Testing.TempDir();
        Server.Put(KubeObjects.Namespace("shop"));
        string path = Server.WriteKubeconfig(dir.Path);

        using Underpool.Kubernetes.Api.KubernetesApi api = Underpool.Kubernetes.Api.KubernetesApi.Create(new KubernetesOptions { Enabled = true, NodeName = "node1", KubeconfigPath = path });
        V1Namespace ns = await api.Client.CoreV1.ReadNamespaceAsync("shop");

        Assert.Equal("shop", ns.Metadata.Name);
        Assert.Contains(new FakeApiRequest("get", "", "namespaces", null), Server.Requests);
    }
}
