using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Leadership;

namespace Underpool.Kubernetes;

/// <summary>How the agent talks to Kubernetes; validated once by <see cref="Validate"/>, which reports every error.</summary>
internal sealed record KubernetesOptions
{
    /// <summary>The environment variable a DaemonSet fills from <c>spec.nodeName</c> (a fieldRef).</summary>
    public const string NodeNameVariable = "NODE_NAME";

    /// <summary>Set in every pod by the kubelet: the agent runs inside a cluster.</summary>
    public const string ServiceHostVariable = "KUBERNETES_SERVICE_HOST";

    /// <summary>Kubernetes mode: off unless asked for (<c>--kubernetes</c>) or running inside a cluster.</summary>
    public bool Enabled { get; init; }

    /// <summary>A kubeconfig file for an agent outside the cluster; null: the in-cluster service account.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>This node's name as Kubernetes knows it: the pod cache and the node-labels follower are scoped to it.</summary>
    public string NodeName { get; init; } = Environment.GetEnvironmentVariable(NodeNameVariable) ?? "";

    /// <summary>A pod terminating on a NotReady node is released this long after its grace period ended (its kubelet
    /// cannot say it stopped, so we wait a little more than Kubernetes itself would).</summary>
    public TimeSpan TerminatingReleaseDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The deadline of one API call made outside an ADD (an ADD brings its own, shorter one).</summary>
    public TimeSpan ApiDeadline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How a broken watch is retried: exponential, with jitter so that every agent of a cluster does not
    /// come back at the same instant after an API server restart.</summary>
    public Backoff WatchBackoff { get; init; } = Backoff.Default;

    /// <summary>The Lease one agent holds to do the cluster-wide duties.</summary>
    public LeaderElectionOptions Leader { get; init; } = new();

    /// <summary>Every rule broken, each as one sentence naming the flag; empty when the options can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
        {
            return errors;
        }

        if (string.IsNullOrEmpty(NodeName))
        {
            errors.Add($"--node is required in Kubernetes mode (or the {NodeNameVariable} environment variable, set from spec.nodeName)");
        }
        else if (!KubernetesNames.IsDnsSubdomain(NodeName))
        {
            errors.Add($"--node '{NodeName}' is not a Kubernetes node name (lower-case letters, digits, '-' and '.', at most 253)");
        }

        if (KubeconfigPath is { } path)
        {
            if (!File.Exists(path))
            {
                errors.Add($"--kubeconfig '{path}' does not exist");
            }
        }
        else if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServiceHostVariable)))
        {
            errors.Add($"Kubernetes mode outside a cluster ({ServiceHostVariable} is not set) needs --kubeconfig FILE");
        }

        if (TerminatingReleaseDelay < TimeSpan.Zero)
        {
            errors.Add($"--terminating-release-delay must not be negative (it is {TerminatingReleaseDelay.TotalSeconds} s)");
        }

        if (ApiDeadline <= TimeSpan.Zero || ApiDeadline > TimeSpan.FromMinutes(1))
        {
            errors.Add($"the Kubernetes API deadline must be between 0 and 60 s (it is {ApiDeadline.TotalSeconds} s)");
        }

        errors.AddRange(WatchBackoff.Validate("the watch back-off"));
        errors.AddRange(Leader.Validate());
        return errors;
    }
}
