using System.Text.Json.Nodes;
using Underpool.Deploy.Tests.Support;

namespace Underpool.Deploy.Tests.Chart;

/// <summary>The agent's DaemonSet: flags the real agent accepts, and mounts and environment that match them.</summary>
public sealed class DaemonSetTests
{
    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task Every_agent_flag_is_one_the_real_underpoold_help_lists_in_the_same_shape(string values)
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Named(values));
        IReadOnlyDictionary<string, bool> documented = await AgentHelp.FlagsAsync();

        var problems = new List<string>();
        foreach (string arg in Rendered.Strings(rendered.Agent["args"]))
        {
            Assert.StartsWith("--", arg);
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            string flag = eq < 0 ? arg : arg[..eq];
            if (!documented.TryGetValue(flag, out bool takesValue))
            {
                problems.Add($"{flag} is not in 'underpoold --help'");
            }
            else if (takesValue != eq >= 0)
            {
                problems.Add(takesValue ? $"{flag} takes a value, the chart gives none" : $"{flag} takes no value, the chart gives '{arg[(eq + 1)..]}'");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task The_socket_is_in_a_host_directory_mounted_at_the_same_path_so_the_plugin_finds_it(string values)
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Named(values));

        string socket = Flag(rendered, "--socket")!;
        string dir = Path.GetDirectoryName(socket)!;
        Assert.Equal("agent.sock", Path.GetFileName(socket));
        Assert.Equal(dir, StoreValuesTests.HostPathMountedAt(rendered, dir));
        // The probes ask the same socket.
        foreach (string probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Assert.Contains($"--socket={socket}", string.Join(' ', Rendered.Strings(rendered.Agent[probe]!["exec"]!["command"])), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_default_socket_is_the_one_the_plugin_uses_when_a_netconf_names_none()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);

        Assert.Equal("/run/underpool/agent.sock", Flag(rendered, "--socket"));
    }

    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task The_node_name_and_the_leases_namespace_come_from_the_downward_API(string values)
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Named(values));

        Assert.Equal("spec.nodeName", FieldRef(rendered.Agent, "NODE_NAME"));
        Assert.Equal("--node=$(NODE_NAME)", Rendered.Strings(rendered.Agent["args"]).Single(a => a.StartsWith("--node=", StringComparison.Ordinal)));
        // LeaderElectionOptions reads POD_NAMESPACE; the Role granting the Lease is in the release's namespace.
        Assert.Equal("metadata.namespace", FieldRef(rendered.Agent, "POD_NAMESPACE"));
        Assert.Contains("--kubernetes", Rendered.Strings(rendered.Agent["args"]));
    }

    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task Pod_network_namespaces_are_mounted_read_only_with_host_to_container_propagation(string values)
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Named(values));

        JsonNode mount = rendered.Agent["volumeMounts"]!.AsArray().Single(m => (string?)m!["mountPath"] == "/var/run/netns")!;
        Assert.Equal("HostToContainer", (string?)mount["mountPropagation"]);
        Assert.True((bool?)mount["readOnly"]);
        Assert.Equal("/var/run/netns", StoreValuesTests.HostPathMountedAt(rendered, "/var/run/netns"));
    }

    [Fact]
    public async Task The_agent_runs_on_the_host_network_with_three_capabilities_or_privileged_when_asked()
    {
        Rendered confined = await Helm.TemplateAsync(ValueSets.Default);
        Rendered privileged = await Helm.TemplateAsync(ValueSets.Privileged);

        Assert.True((bool?)confined.PodSpec["hostNetwork"]);
        JsonObject context = confined.Agent["securityContext"]!.AsObject();
        Assert.Null(context["privileged"]);
        Assert.Equal(["ALL"], Rendered.Strings(context["capabilities"]!["drop"]));
        Assert.Equal(["NET_ADMIN", "NET_RAW", "SYS_ADMIN"], Rendered.Strings(context["capabilities"]!["add"]).Order());
        Assert.True((bool?)privileged.Agent["securityContext"]!["privileged"]);
        Assert.Null(privileged.Agent["securityContext"]!["capabilities"]);
    }

    [Fact]
    public async Task The_init_container_installs_the_plugin_into_the_hosts_CNI_bin_directory()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);
        Rendered custom = await Helm.TemplateAsync(new ValueSet("cni bin dir", "cni: {binDir: /usr/libexec/cni}"));

        foreach ((Rendered r, string hostDir) in new[] { (rendered, "/opt/cni/bin"), (custom, "/usr/libexec/cni") })
        {
            JsonObject init = Rendered.Container(r.PodSpec, "install-plugin");
            string[] command = Rendered.Strings(init["command"]).ToArray();
            Assert.Equal("/usr/local/bin/install-plugin.sh", command[0]);
            string target = command[2];
            JsonNode mount = init["volumeMounts"]!.AsArray().Single(m => (string?)m!["mountPath"] == target)!;
            JsonNode volume = r.PodSpec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)mount["name"])!;
            Assert.Equal(hostDir, (string?)volume["hostPath"]!["path"]);
        }
    }

    [Fact]
    public async Task A_rolling_update_replaces_one_node_at_a_time_with_no_disruption_budget()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);

        JsonNode strategy = rendered.DaemonSet["spec"]!["updateStrategy"]!;
        Assert.Equal("RollingUpdate", (string?)strategy["type"]);
        Assert.Equal(1, (int?)strategy["rollingUpdate"]!["maxUnavailable"]);
        Assert.Empty(rendered.OfKind("PodDisruptionBudget"));
    }

    [Fact]
    public async Task Memory_is_requested_from_the_measured_resident_size_and_limited()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);

        JsonNode resources = rendered.Agent["resources"]!;
        // docs/benchmarks.md: 73 MiB idle, 108 MiB after 10,000 allocations; the pod cache adds ~1.1 KB per pod.
        Assert.Equal("128Mi", (string?)resources["requests"]!["memory"]);
        Assert.Equal("256Mi", (string?)resources["limits"]!["memory"]);
        Assert.NotNull(resources["requests"]!["cpu"]);
    }

    [Fact]
    public async Task Metrics_are_off_by_default_and_when_enabled_listen_on_the_port_the_scrape_annotations_name()
    {
        Rendered off = await Helm.TemplateAsync(ValueSets.Default);
        Rendered on = await Helm.TemplateAsync(ValueSets.Metrics);

        Assert.Null(Flag(off, "--metrics-listen"));
        Assert.Null(off.DaemonSet["spec"]!["template"]!["metadata"]!["annotations"]);
        Assert.Equal("0.0.0.0:9700", Flag(on, "--metrics-listen"));
        JsonNode annotations = on.DaemonSet["spec"]!["template"]!["metadata"]!["annotations"]!;
        Assert.Equal("true", (string?)annotations["prometheus.io/scrape"]);
        Assert.Equal("9700", (string?)annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", (string?)annotations["prometheus.io/path"]);
        Assert.Equal(9700, (int?)on.Agent["ports"]![0]!["containerPort"]);
        Assert.Empty(on.OfKind("ServiceMonitor"));
    }

    internal static string? Flag(Rendered rendered, string flag) =>
        Rendered.Strings(rendered.Agent["args"]).Where(a => a.StartsWith(flag + "=", StringComparison.Ordinal)).Select(a => a[(flag.Length + 1)..]).SingleOrDefault();

    private static string? FieldRef(JsonObject container, string variable) =>
        (string?)container["env"]!.AsArray().Single(e => (string?)e!["name"] == variable)!["valueFrom"]!["fieldRef"]!["fieldPath"];
}
