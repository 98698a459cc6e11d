using System.Globalization;
using System.Net;
using Underpool.Agent;
using Underpool.Kubernetes;

namespace Underpool.Daemon.Options;

/// <summary>The Kubernetes-mode flags (<c>--kubernetes</c>, <c>--kubeconfig</c>, <c>--terminating-release-delay</c>)
/// and <c>--metrics-listen</c>, applied once all flags are read, where Kubernetes mode's own rules
/// (<see cref="KubernetesOptions.Validate"/>) are checked.</summary>
/// <param name="defaultNode">The parser's --node when none is given: in Kubernetes mode NODE_NAME replaces it.</param>
internal sealed class KubernetesFlags(string defaultNode) : IFlagGroup
{
    /// <summary>The help text's section for these flags.</summary>
    public const string Help = """

        Kubernetes (see README "On Kubernetes"):
          --kubernetes            Kubernetes mode: the pod of each ADD is looked up (owner, annotations, UID),
                                  node labels come from this node's Node object, and one elected agent
                                  releases the addresses of deleted pods (default: on when
                                  KUBERNETES_SERVICE_HOST is set, as in a pod; --kubernetes=false turns it off)
          --kubeconfig FILE       the API server and credentials for an agent outside the cluster
                                  (default: the pod's service account)
          --terminating-release-delay SECONDS  a pod terminating on a NotReady node is released this long
                                  after its grace period ends (default: 60)
          --metrics-listen ADDR:PORT  also serve GET /metrics (only that) over TCP, e.g. 0.0.0.0:9464
                                  (default: off; the socket always serves it)
          In Kubernetes mode --node defaults to the NODE_NAME environment variable.
        """;

    private const string Switch = "--kubernetes";

    private bool? _enabled;
    private string? _kubeconfig;
    private TimeSpan _terminatingReleaseDelay = TimeSpan.FromSeconds(60);
    private IPEndPoint? _metricsListen;

    /// <summary>True when <paramref name="flag"/> is the bare <c>--kubernetes</c> switch (it takes no value).</summary>
    public bool TryReadSwitch(string flag)
    {
        if (flag != Switch)
        {
            return false;
        }

        _enabled = true;
        return true;
    }

    public bool TryRead(string flag, string value, List<string> errors)
    {
        switch (flag)
        {
            case Switch when bool.TryParse(value, out bool enabled):
                _enabled = enabled;
                return true;
            case Switch:
                errors.Add($"--kubernetes='{value}' must be true or false (or --kubernetes alone)");
                return true;
            case "--kubeconfig":
                _kubeconfig = value;
                return true;
            case "--terminating-release-delay":
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds is < 0 or > 86400)
                {
                    errors.Add($"--terminating-release-delay '{value}' must be a number of seconds from 0 to 86400");
                    return true;
                }

                _terminatingReleaseDelay = TimeSpan.FromSeconds(seconds);
                return true;
            case "--metrics-listen":
                if (!IPEndPoint.TryParse(value, out IPEndPoint? endpoint) || endpoint.Port == 0 || !value.Contains(':', StringComparison.Ordinal))
                {
                    errors.Add($"--metrics-listen '{value}' must be ADDRESS:PORT, like 0.0.0.0:9464 or [::]:9464");
                    return true;
                }

                _metricsListen = endpoint;
                return true;
            default:
                return false;
        }
    }

    public DaemonOptions Apply(DaemonOptions options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool enabled = _enabled ?? !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(KubernetesOptions.ServiceHostVariable));
        string node = options.Agent.Node;
        if (enabled && string.Equals(node, defaultNode, StringComparison.OrdinalIgnoreCase)
            && Environment.GetEnvironmentVariable(KubernetesOptions.NodeNameVariable) is { Length: > 0 } nodeName)
        {
            node = nodeName;
        }

        var kubernetes = new KubernetesOptions
        {
            Enabled = enabled,
            KubeconfigPath = _kubeconfig,
            NodeName = node,
            TerminatingReleaseDelay = _terminatingReleaseDelay,
            Leader = new() { Identity = node },
        };
        if (!enabled && _kubeconfig is not null)
        {
            errors.Add("--kubeconfig needs Kubernetes mode (--kubernetes)");
            return options;
        }

        errors.AddRange(kubernetes.Validate());
        return options with { Agent = options.Agent with { Node = node, Kubernetes = kubernetes, MetricsListen = _metricsListen } };
    }
}
