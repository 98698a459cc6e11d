using System.Text.Json.Nodes;
using k8s.Models;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing.Kubernetes;

namespace Underpool.Lab.Tests;

/// <summary>The lab with its agents in Kubernetes mode (--kubernetes --kubeconfig) against a FAKE Kubernetes API
/// server (<see cref="FakeKubernetesApiServer"/>: no kube-apiserver exists for these machines). Every lab node has its
/// Node object, Ready; a test plays the control plane (pods, StatefulSets, Deployments into the fake) and the kubelet
/// (the CNI calls, with K8S_POD_NAMESPACE/NAME/UID as a runtime sends them).</summary>
internal sealed class KubernetesLab : IAsyncDisposable
{
    private readonly TempDirectory _dir;

    private KubernetesLab(FakeKubernetesApiServer api, UnderpoolLab lab, TempDirectory dir)
    {
        Api = api;
        Lab = lab;
        _dir = dir;
    }

    public FakeKubernetesApiServer Api { get; }

    public UnderpoolLab Lab { get; }

    public static async Task<KubernetesLab> CreateAsync(int nodes, string subnet)
    {
        FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartNewAsync();
        var dir = TempDirectory.Create("k8s");
        try
        {
            string kubeconfig = api.WriteKubeconfig(dir.Path);
            UnderpoolLab lab = await UnderpoolLab.CreateAsync(nodes, subnet, "--kubernetes", "--kubeconfig", kubeconfig);
            foreach (LabNode node in lab.Network.Nodes)
            {
                api.Put(KubeObjects.Node(node.Name));
            }

            return new KubernetesLab(api, lab, dir);
        }
        catch
        {
            dir.Dispose();
            await api.DisposeAsync();
            throw;
        }
    }

    public string NodeName(int node) => Lab.Network.Nodes[node].Name;

    /// <summary>Pod <paramref name="ns"/>/<paramref name="name"/> bound to lab node <paramref name="node"/>, in the fake.</summary>
    public V1Pod PutPod(string ns, string name, int node, IDictionary<string, string>? annotations = null, V1OwnerReference? owner = null) =>
        Api.Put(KubeObjects.Pod(ns, name, NodeName(node), annotations, owner));

    /// <summary>The kubelet's ADD for <paramref name="pod"/> on its node, through the real macvlan plugin.</summary>
    public async Task<(CniInvocation Add, CniRequest Request)> AddAsync(V1Pod pod, int node, string[] pools, Action<JsonObject>? netconf = null)
    {
        string container = $"{pod.Metadata.Name}-{pod.Metadata.Uid[..8]}";
        NetworkNamespace podNs = await Lab.Network.AddPodNamespaceAsync(container);
        JsonObject config = JsonNode.Parse(Lab.MacvlanConfig(node, pools))!.AsObject();
        netconf?.Invoke(config);
        CniRequest request = CniRequest.Add(Lab.Network.Nodes[node].Namespace, podNs, container, "eth0", config.ToJsonString()) with
        {
            Args = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={pod.Metadata.NamespaceProperty};K8S_POD_NAME={pod.Metadata.Name};K8S_POD_UID={pod.Metadata.Uid}",
        };
        return (await Lab.Cni.InvokeAsync(request), request);
    }

    /// <summary>Every allocation the store holds (one agent's view; they share the store).</summary>
    public IReadOnlyList<AllocationView> Allocations()
    {
        ApiResult<IReadOnlyList<AllocationView>> listed = new AgentClient(Lab.Agents[0].Socket, TimeSpan.FromSeconds(10)).ListAllocations(null, null, null);
        Assert.True(listed.IsSuccess, listed.Problem?.Detail);
        return listed.Value;
    }

    public IReadOnlyList<PoolView> Pools()
    {
        ApiResult<IReadOnlyList<PoolView>> listed = new AgentClient(Lab.Agents[0].Socket, TimeSpan.FromSeconds(10)).ListPools();
        Assert.True(listed.IsSuccess, listed.Problem?.Detail);
        return listed.Value;
    }

    /// <summary>Releases counted under <paramref name="reason"/> by every agent (the elected one did them).</summary>
    public double Released(string reason) =>
        Lab.Agents.Sum(a => AgentMetricsText.Sum(AgentMetricsText.Read(a.Socket), "underpool_releases_total", $"reason=\"{reason}\""));

    public async ValueTask DisposeAsync()
    {
        await Lab.DisposeAsync();
        await Api.DisposeAsync();
        _dir.Dispose();
    }
}
