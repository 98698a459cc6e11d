namespace Underpool.Agent.Tests;

public sealed class AgentOptionsParserTests
{
    [Fact]
    public void Flags_in_both_forms_are_read()
    {
        AgentOptions? options = AgentOptionsParser.Parse(
            ["--node", "n1", "--node-labels=rack=r1,zone=a", "--socket", "/tmp/a.sock", "--data-dir", "/tmp/d", "--log-format", "text"],
            "host", out string? error, out _);

        Assert.Null(error);
        Assert.Equal("n1", options!.Node);
        Assert.Equal("r1", options.NodeLabels["rack"]);
        Assert.Equal("a", options.NodeLabels["zone"]);
        Assert.Equal("/tmp/a.sock", options.Socket);
        Assert.Equal("text", options.LogFormat);
    }

    [Fact]
    public void Gc_interval_and_grace_default_to_60_and_30_seconds_and_0_turns_the_sweep_loop_off()
    {
        AgentOptions defaults = AgentOptionsParser.Parse([], "host", out _, out _)!;
        AgentOptions off = AgentOptionsParser.Parse(["--gc-interval", "0", "--gc-grace=1.5"], "host", out string? error, out _)!;

        Assert.Null(error);
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)), (defaults.GcInterval, defaults.GcGrace));
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(1.5)), (off.GcInterval, off.GcGrace));
    }

    [Fact]
    public void Socket_limits_default_to_512_connections_idle_for_10_seconds_and_the_directory_check_is_on()
    {
        AgentOptions defaults = AgentOptionsParser.Parse([], "host", out _, out _)!;
        AgentOptions set = AgentOptionsParser.Parse(
            ["--max-connections", "64", "--allow-insecure-socket-dir", "--idle-timeout=3", "--node", "n1"], "host", out string? error, out _)!;

        Assert.Null(error);
        Assert.Equal((512, TimeSpan.FromSeconds(10), false), (defaults.MaxConnections, defaults.IdleTimeout, defaults.AllowInsecureSocketDir));
        Assert.Equal((64, TimeSpan.FromSeconds(3), true, "n1"), (set.MaxConnections, set.IdleTimeout, set.AllowInsecureSocketDir, set.Node));
    }

    [Fact]
    public void The_node_defaults_to_the_host_name_lowercased_as_the_kubelet_registers_it()
    {
        Assert.Equal("host", AgentOptionsParser.Parse([], "host", out _, out _)!.Node);
        Assert.Equal("rack1-n1", AgentOptionsParser.Parse([], "Rack1-N1", out _, out _)!.Node);
    }

    [Theory]
    [InlineData("Node1", "Node1")]
    [InlineData("node_1", "node_1")]
    [InlineData("node1\0", "node1\\u0000")]
    [InlineData("-node1", "-node1")]
    [InlineData("rack1/n1", "rack1/n1")]
    public void A_node_name_a_pool_could_not_name_is_refused_as_pools_refuse_it(string node, string shown)
    {
        Assert.Null(AgentOptionsParser.Parse(["--node", node], "host", out string? error, out _));
        Assert.StartsWith($"--node '{shown}' is not a valid node name: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--store", "consul", "--store 'consul' is not supported")]
    [InlineData("--store", "etcd", "--store etcd needs --etcd-endpoints")]
    [InlineData("--node-ttl", "1", "--node-ttl '1' must be a number of seconds from 3 to 3600")]
    [InlineData("--node-dead-after", "-5", "--node-dead-after '-5' must be a number of seconds from 0 to 86400")]
    [InlineData("--store-timeout", "soon", "--store-timeout 'soon' must be a number of seconds")]
    [InlineData("--node-labels", "rack", "'rack' is not KEY=VALUE")]
    [InlineData("--log-format", "xml", "must be 'json' or 'text'")]
    [InlineData("--bogus", "1", "unknown option '--bogus'")]
    [InlineData("--node", "a b", "--node 'a b' is not a valid node name: use at most 253 characters")]
    [InlineData("--gc-interval", "-1", "--gc-interval '-1' must be a number of seconds from 0 to 86400")]
    [InlineData("--gc-grace", "later", "--gc-grace 'later' must be a number of seconds")]
    [InlineData("--max-connections", "0", "--max-connections '0' must be a whole number from 1 to 65535")]
    [InlineData("--idle-timeout", "0.2", "--idle-timeout '0.2' must be a number of seconds from 1 to 3600")]
    public void A_bad_flag_gives_a_message_naming_it(string flag, string value, string expected)
    {
        Assert.Null(AgentOptionsParser.Parse([flag, value], "host", out string? error, out _));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flag_without_its_value_is_an_error()
    {
        Assert.Null(AgentOptionsParser.Parse(["--node"], "host", out string? error, out _));
        Assert.Equal("--node needs a value (see --help)", error);
    }

    [Fact]
    public void The_etcd_flags_are_read()
    {
        AgentOptions? options = AgentOptionsParser.Parse(
            ["--store", "etcd", "--etcd-endpoints", "http://127.0.0.1:2379, https://10.0.0.2:2379", "--etcd-prefix=/lab", "--store-timeout", "0.5", "--node-ttl", "6", "--store-retry", "4"],
            "host", out string? error, out _);

        Assert.Null(error);
        Assert.Equal(("etcd", "/lab"), (options!.Store, options.EtcdPrefix));
        Assert.Equal(["http://127.0.0.1:2379", "https://10.0.0.2:2379"], options.EtcdEndpoints);
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(4)), (options.StoreTimeout, options.NodeTtl, options.StoreRetryBudget));
    }

    [Theory]
    [InlineData("127.0.0.1:2379", "is not an etcd client URL")]
    [InlineData("unix:///run/etcd.sock", "is not an etcd client URL")]
    [InlineData("http://127.0.0.1:2379/v3", "is not an etcd client URL")]
    public void A_bad_etcd_endpoint_is_named(string endpoint, string expected)
    {
        Assert.Null(AgentOptionsParser.Parse(["--store", "etcd", "--etcd-endpoints", endpoint], "host", out string? error, out _));
        Assert.Contains($"'{endpoint}' {expected}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--etcd-prefix", "underpool" }, "--etcd-prefix 'underpool' must start with '/'")]
    [InlineData(new[] { "--etcd-prefix", "/underpool/" }, "must start with '/', not end with '/'")]
    [InlineData(new[] { "--etcd-cert", "/etc/hostname" }, "--etcd-cert and --etcd-key go together")]
    [InlineData(new[] { "--etcd-ca", "/nonexistent/ca.pem" }, "--etcd-ca /nonexistent/ca.pem: no such file")]
    public void Bad_etcd_settings_are_named(string[] flags, string expected)
    {
        Assert.Null(AgentOptionsParser.Parse(["--store", "etcd", "--etcd-endpoints", "http://127.0.0.1:2379", .. flags], "host", out string? error, out _));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
