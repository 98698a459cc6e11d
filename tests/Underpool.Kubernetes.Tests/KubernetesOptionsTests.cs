using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Leadership;
using Underpool.Testing;

namespace Underpool.Kubernetes.Tests;

public sealed class KubernetesOptionsTests
{
    [Fact]
    public void Options_that_are_off_need_nothing()
    {
        Assert.Empty(new KubernetesOptions { Enabled = false, NodeName = "" }.Validate());
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var options = new KubernetesOptions
        {
            Enabled = true,
            NodeName = "Node_1",
            KubeconfigPath = "/nonexistent/kubeconfig",
            TerminatingReleaseDelay = TimeSpan.FromSeconds(-1),
            ApiDeadline = TimeSpan.Zero,
            WatchBackoff = new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)),
            Leader = new LeaderElectionOptions { Namespace = "kube-system", LeaseDuration = TimeSpan.FromSeconds(5), RenewDeadline = TimeSpan.FromSeconds(10) },
        };

        IReadOnlyList<string> errors = options.Validate();

        Assert.Collection(
            errors,
            e => Assert.Contains("--node 'Node_1' is not a Kubernetes node name", e, StringComparison.Ordinal),
            e => Assert.Contains("--kubeconfig '/nonexistent/kubeconfig' does not exist", e, StringComparison.Ordinal),
            e => Assert.Contains("--terminating-release-delay must not be negative", e, StringComparison.Ordinal),
            e => Assert.Contains("API deadline must be between 0 and 60 s", e, StringComparison.Ordinal),
            e => Assert.Contains("the watch back-off needs 0 < initial", e, StringComparison.Ordinal),
            e => Assert.Contains("retry period (2 s) < renew deadline (10 s) < lease duration (5 s)", e, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_node_name_points_at_the_flag_and_the_environment_variable()
    {
        using var dir = new TempDir();
        string kubeconfig = Path.Combine(dir.Path, "kubeconfig");
        File.WriteAllText(kubeconfig, "");

        Assert.Equal(
            ["--node is required in Kubernetes mode (or the NODE_NAME environment variable, set from spec.nodeName)"],
            new KubernetesOptions { Enabled = true, NodeName = "", KubeconfigPath = kubeconfig }.Validate());
    }

    [Fact]
    public void Valid_options_have_no_errors()
    {
        using var dir = new TempDir();
        string kubeconfig = Path.Combine(dir.Path, "kubeconfig");
        File.WriteAllText(kubeconfig, "");

        Assert.Empty(new KubernetesOptions { Enabled = true, NodeName = "node-1.dc", KubeconfigPath = kubeconfig }.Validate());
    }
}
