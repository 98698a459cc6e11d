using System.Text.Json;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Kubernetes;
using Underpool.Kubernetes.Api;
using Underpool.Testing;
using Underpool.Testing.Kubernetes;

namespace Underpool.Agent.Tests.Kubernetes;

/// <summary>An in-process agent in Kubernetes mode on a fake API server of its own (a FAKE: see
/// <see cref="FakeKubernetesApiServer"/>), with fast retries and a short API deadline so failure tests are quick.</summary>
internal sealed class KubernetesAgent : IAsyncDisposable
{
    private readonly TempDir _dir;

    private KubernetesAgent(FakeKubernetesApiServer server, InProcessAgent agent, TempDir dir)
    {
        Server = server;
        Agent = agent;
        _dir = dir;
    }

    public FakeKubernetesApiServer Server { get; }

    public InProcessAgent Agent { get; }

    public static async Task<KubernetesAgent> StartAsync(bool kubernetes = true, string node = "node1")
    {
        FakeKubernetesApiServer server = await FakeKubernetesApiServer.StartNewAsync();
        server.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        var dir = new TempDir();
        try
        {
            string kubeconfig = server.WriteKubeconfig(dir.Path);
            InProcessAgent agent = await InProcessAgent.StartAsync(node: node, configure: o => o with
            {
                Kubernetes = new KubernetesOptions
                {
                    Enabled = kubernetes,
                    KubeconfigPath = kubernetes ? kubeconfig : null,
                    NodeName = node,
                    ApiDeadline = TimeSpan.FromSeconds(1),
                    WatchBackoff = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400)),
                    Leader = new() { Identity = node, Namespace = "kube-system" },
                },
            });
            return new KubernetesAgent(server, agent, dir);
        }
        catch
        {
            dir.Dispose();
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An ADD as the plugin sends it for pod <paramref name="ns"/>/<paramref name="pod"/>.</summary>
    public Task<ApiResult<CniAddResponse>> AddAsync(
        string ns,
        string pod,
        string? uid,
        string[]? v4 = null,
        IReadOnlyDictionary<string, JsonElement>? cniArgs = null,
        IReadOnlyDictionary<string, string>? podAnnotations = null,
        string container = "c1") =>
        Task.Run(() => Agent.Client.Add(new CniAddRequest
        {
            Attachment = new AttachmentIdentity
            {
                Network = "net1",
                ContainerId = container,
                IfName = "eth0",
                NetNs = $"/var/run/netns/{container}",
                PodNamespace = ns,
                PodName = pod,
                PodUid = uid,
            },
            Pools = new PoolChoice { Ipv4 = v4 ?? [] },
            CniArgs = cniArgs ?? new Dictionary<string, JsonElement>(),
            PodAnnotations = podAnnotations ?? new Dictionary<string, string>(),
        }));

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
