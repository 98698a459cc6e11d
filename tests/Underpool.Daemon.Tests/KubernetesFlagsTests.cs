using Underpool.Agent;
using Underpool.Daemon.Options;

namespace Underpool.Daemon.Tests;

public sealed class KubernetesFlagsTests
{
    [Fact]
    public void Without_the_flags_or_a_cluster_kubernetes_mode_is_off_and_nothing_else_changes()
    {
        AgentOptions options = Parse(["--node", "n1"], out string? error)!;

        Assert.Null(error);
        Assert.False(options.Kubernetes.Enabled);
        Assert.Null(options.MetricsListen);
        Assert.Equal("n1", options.Node);
    }

    [Fact]
    public void The_flags_as_the_helm_chart_spells_them_are_read()
    {
        using var dir = new Underpool.Testing.TempDir();
        string kubeconfig = Path.Combine(dir.Path, "kubeconfig");
        File.WriteAllText(kubeconfig, "");

        AgentOptions options = Parse(
            ["--kubernetes", "--node=n1", "--kubeconfig", kubeconfig, "--terminating-release-delay=90", "--metrics-listen=0.0.0.0:9464"], out string? error)!;

        Assert.Null(error);
        Assert.True(options.Kubernetes.Enabled);
        Assert.Equal((kubeconfig, "n1", TimeSpan.FromSeconds(90)), (options.Kubernetes.KubeconfigPath, options.Kubernetes.NodeName, options.Kubernetes.TerminatingReleaseDelay));
        Assert.Equal("0.0.0.0:9464", options.MetricsListen!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(60), Parse(["--kubernetes", "--kubeconfig", kubeconfig], out _)!.Kubernetes.TerminatingReleaseDelay);
    }

    [Theory]
    [InlineData("--terminating-release-delay=-1", "--terminating-release-delay '-1' must be a number of seconds from 0 to 86400")]
    [InlineData("--metrics-listen=9464", "--metrics-listen '9464' must be ADDRESS:PORT")]
    [InlineData("--kubernetes=maybe", "--kubernetes='maybe' must be true or false")]
    [InlineData("--kubeconfig=/nonexistent/kubeconfig", "--kubeconfig needs Kubernetes mode")]
    public void A_bad_value_is_one_sentence_naming_the_flag(string flag, string expected)
    {
        Assert.Null(Parse([flag], out string? error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_mode_outside_a_cluster_without_a_kubeconfig_is_refused_saying_what_to_give()
    {
        Assert.Null(Parse(["--kubernetes"], out string? error));
        Assert.Contains("needs --kubeconfig FILE", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_help_lists_the_kubernetes_flags()
    {
        Assert.Contains("--terminating-release-delay SECONDS", DaemonHelp.Text, StringComparison.Ordinal);
        Assert.Contains("--metrics-listen ADDR:PORT", DaemonHelp.Text, StringComparison.Ordinal);
    }

    private static AgentOptions? Parse(string[] args, out string? error) => Flags.Agent(args, "host", out error);
}
