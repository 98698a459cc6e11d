namespace Underpool.Kubernetes.Leadership;

/// <summary>The coordination.k8s.io/v1 Lease one agent holds to do the cluster-wide duties. The defaults are
/// client-go's: a leader that cannot renew for <see cref="RenewDeadline"/> stops leading, safely before the
/// others may take the lease (<see cref="LeaseDuration"/> after they last saw it change).</summary>
internal sealed record LeaderElectionOptions
{
    /// <summary>The namespace of the Lease: the agent's own (POD_NAMESPACE from a fieldRef), else kube-system.</summary>
    public string Namespace { get; init; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "kube-system";

    public string LeaseName { get; init; } = "underpool-agent";

    /// <summary>Who this agent is in the Lease's holderIdentity: the node name is unique per agent.</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable(KubernetesOptions.NodeNameVariable) ?? Environment.MachineName;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!KubernetesNames.IsDnsSubdomain(Namespace) || !KubernetesNames.IsDnsSubdomain(LeaseName))
        {
            errors.Add($"the leader Lease '{Namespace}/{LeaseName}' is not a valid namespace/name");
        }

        if (string.IsNullOrEmpty(Identity))
        {
            errors.Add("the leader election identity must not be empty");
        }

        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod || LeaseDuration <= RenewDeadline)
        {
            errors.Add(
                $"leader election needs 0 < retry period ({RetryPeriod.TotalSeconds} s) < renew deadline ({RenewDeadline.TotalSeconds} s) "
                + $"< lease duration ({LeaseDuration.TotalSeconds} s)");
        }

        return errors;
    }
}
