using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Failures;
using Underpool.Agent.Nodes;
using Underpool.Api.Contracts;
using Underpool.Kubernetes;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Events;
using Underpool.Kubernetes.Namespaces;
using Underpool.Kubernetes.Nodes;
using Underpool.Kubernetes.Owners;
using Underpool.Kubernetes.Pods;

namespace Underpool.Agent.Kubernetes;

/// <summary>What Kubernetes says about the pod of one ADD.</summary>
internal sealed record PodFacts(PodInfo Pod, WorkloadOwner? Owner, IReadOnlyDictionary<string, string> NamespaceAnnotations);

/// <summary>This agent's view of Kubernetes in Kubernetes mode: the client, this node's pods (a cache kept by a watch),
/// the namespaces' default pools, owners, this node's labels (fed to pool node selectors) and the Event recorder.
/// Started with the agent, stopped with it; nothing here blocks the start, so an API server that cannot be reached
/// fails ADDs with CNI 11 instead of keeping the agent down.</summary>
internal sealed partial class KubernetesLink : IHostedService, IAsyncDisposable
{
    private readonly LocalNode _node;
    private readonly ILogger<KubernetesLink> _log;
    private readonly NodeLabelsFollower _labels;
    private int _disposed;

    public KubernetesLink(AgentOptions options, LocalNode node, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logs);
        Options = options.Kubernetes;
        _node = node;
        _log = logs.CreateLogger<KubernetesLink>();
        try
        {
            Api = KubernetesApi.Create(Options);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or FormatException)
        {
            throw new Hosting.AgentStartException($"Kubernetes mode: cannot read the API server's address and credentials: {e.Message}", e);
        }

        ILogger watchLog = logs.CreateLogger("Underpool.Kubernetes.Watch");
        Pods = PodDirectory.ForNode(Api, Options.NodeName, Options.WatchBackoff, watchLog);
        Namespaces = new NamespaceDirectory(Api, Options.WatchBackoff, watchLog);
        Owners = new OwnerResolver(new ReplicaSetOwnerCache(Api));
        Events = new PodEventRecorder(Api, Options.NodeName, logs.CreateLogger<PodEventRecorder>());
        _labels = new NodeLabelsFollower(Api, Options.NodeName, Options.WatchBackoff, watchLog);
        _labels.LabelsChanged += OnLabelsChanged;
    }

    public KubernetesOptions Options { get; }

    public KubernetesApi Api { get; }

    public PodDirectory Pods { get; }

    public NamespaceDirectory Namespaces { get; }

    public OwnerResolver Owners { get; }

    public PodEventRecorder Events { get; }

    /// <summary>The pod <paramref name="who"/> names, its owner and its namespace's annotations, all within
    /// <paramref name="deadline"/>; a <see cref="Failure"/> naming the pod (unknown, another uid) or the API server
    /// (CNI 11: it could not be asked in time).</summary>
    public async Task<Outcome<PodFacts>> FactsAsync(string @namespace, string name, string? uid, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        TimeSpan Left() => TimeSpan.FromTicks(Math.Max((deadline - elapsed.Elapsed).Ticks, TimeSpan.FromMilliseconds(1).Ticks));
        try
        {
            PodInfo pod = await Pods.GetAsync(@namespace, name, uid, Left(), cancellationToken).ConfigureAwait(false);
            WorkloadOwner? owner = await Owners.ResolveAsync(pod, Left(), cancellationToken).ConfigureAwait(false);
            IReadOnlyDictionary<string, string> namespaceAnnotations = await Namespaces.AnnotationsAsync(@namespace, Left(), cancellationToken).ConfigureAwait(false);
            return new PodFacts(pod, owner, namespaceAnnotations);
        }
        catch (PodIdentityException e) when (e.Problem == PodIdentityProblem.NotFound)
        {
            return new Failure(ProblemKinds.PodNotFound, $"{e.Message}; the runtime's K8S_POD_NAMESPACE/K8S_POD_NAME name no pod this agent can find");
        }
        catch (PodIdentityException e)
        {
            return new Failure(ProblemKinds.PodUidMismatch, e.Message);
        }
        catch (KubernetesUnavailableException e)
        {
            return new Failure(ProblemKinds.KubernetesUnavailable, $"{e.Message}; nothing was allocated, try again");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Pods.Start();
        Namespaces.Start();
        _labels.Start();
        LogStarted(Options.NodeName, Api.Server);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // Stopped by the host, then disposed by the container.
        }

        await _labels.DisposeAsync().ConfigureAwait(false);
        await Namespaces.DisposeAsync().ConfigureAwait(false);
        await Pods.DisposeAsync().ConfigureAwait(false);
        Api.Dispose();
    }

    private void OnLabelsChanged(IReadOnlyDictionary<string, string> labels)
    {
        _node.ReplaceLabels(labels);
        LogLabels(Options.NodeName, string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes mode: node {Node}, API server {Server}")]
    private partial void LogStarted(string node, string server);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node} labels from its Node object: {Labels}")]
    private partial void LogLabels(string node, string labels);
}
