using System.Text.Json.Nodes;
using Underpool.Deploy.Tests.Support;

namespace Underpool.Deploy.Tests.Chart;

/// <summary>Which store the agents use, and the installs the chart refuses to render.</summary>
public sealed class StoreValuesTests
{
    [Fact]
    public async Task An_embedded_store_is_refused_unless_the_values_say_the_cluster_is_one_node()
    {
        Ran refused = await Helm.TryTemplateAsync(new ValueSet("embedded, several nodes", "store: {type: embedded}"));

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("singleNode: true", refused.Error, StringComparison.Ordinal);
        Assert.Contains("same addresses", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_embedded_store_on_one_node_keeps_its_file_on_the_host()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.EmbeddedSingleNode);

        IReadOnlyList<string> args = Rendered.Strings(rendered.Agent["args"]).ToList();
        Assert.Contains("--store=embedded", args);
        Assert.Contains("--data-dir=/var/lib/underpool-one", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--etcd", StringComparison.Ordinal));
        Assert.Equal("/var/lib/underpool-one", HostPathMountedAt(rendered, "/var/lib/underpool-one"));
    }

    [Theory]
    [InlineData("no endpoints", "store: {etcd: {endpoints: []}}", "store.etcd.endpoints is empty")]
    [InlineData("TLS to a plain endpoint", "store: {etcd: {tlsSecret: s, endpoints: [http://10.0.0.1:2379]}}", "is not https://")]
    [InlineData("an unknown store", "store: {type: consul}", "store.type must be etcd or embedded")]
    [InlineData("a pool name with a capital", "pools: [{name: Vlan20, subnet: 10.20.0.0/24}]", "is not a pool name")]
    [InlineData("a pool without a subnet", "pools: [{name: vlan20}]", "needs a subnet")]
    [InlineData("a bare off (YAML's false)", "pools: [{name: vlan20, subnet: 10.20.0.0/24, probe: off}]", "probe must be quoted")]
    public async Task Values_that_cannot_work_are_refused_with_the_value_to_change(string name, string values, string message)
    {
        Ran refused = await Helm.TryTemplateAsync(new ValueSet(name, values));

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(message, refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_etcd_TLS_secret_is_mounted_where_the_etcd_flags_point()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.EtcdWithTls);

        IReadOnlyList<string> args = Rendered.Strings(rendered.Agent["args"]).ToList();
        Assert.Contains("--etcd-endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379", args);
        Assert.Contains("--etcd-prefix=/underpool-prod", args);
        JsonObject volume = VolumeMountedAt(rendered, "/etc/underpool/etcd");
        Assert.Equal("underpool-etcd-client", (string?)volume["secret"]!["secretName"]);
        // A kubernetes.io/tls Secret's keys, plus the CA (cert-manager writes ca.crt into the same Secret).
        foreach ((string flag, string key) in new[] { ("--etcd-cert", "tls.crt"), ("--etcd-key", "tls.key"), ("--etcd-ca", "ca.crt") })
        {
            Assert.Contains($"{flag}=/etc/underpool/etcd/{key}", args);
        }

        Assert.DoesNotContain(args, a => a.StartsWith("--data-dir", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_TLS_secret_no_certificate_flag_or_secret_is_rendered()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);

        Assert.DoesNotContain(Rendered.Strings(rendered.Agent["args"]), a => a.StartsWith("--etcd-c", StringComparison.Ordinal) || a.StartsWith("--etcd-key", StringComparison.Ordinal));
        Assert.DoesNotContain(rendered.PodSpec["volumes"]!.AsArray(), v => v!["secret"] is not null);
    }

    internal static JsonObject VolumeMountedAt(Rendered rendered, string mountPath)
    {
        JsonNode mount = rendered.Agent["volumeMounts"]!.AsArray().SingleOrDefault(m => (string?)m!["mountPath"] == mountPath)
            ?? throw new Xunit.Sdk.XunitException($"nothing is mounted at {mountPath}");
        return rendered.PodSpec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)mount["name"])!.AsObject();
    }

    internal static string? HostPathMountedAt(Rendered rendered, string mountPath) => (string?)VolumeMountedAt(rendered, mountPath)["hostPath"]?["path"];
}
