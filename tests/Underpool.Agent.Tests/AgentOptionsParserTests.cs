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
    public void The_node_defaults_to_the_host_name()
    {
        Assert.Equal("host", AgentOptionsParser.Parse([], "host", out _, out _)!.Node);
    }

    [Theory]
    [InlineData("--store", "etcd", "--store 'etcd' is not supported")]
    [InlineData("--node-labels", "rack", "'rack' is not KEY=VALUE")]
    [InlineData("--log-format", "xml", "must be 'json' or 'text'")]
    [InlineData("--bogus", "1", "unknown option '--bogus'")]
    [InlineData("--node", "a b", "is not a node name")]
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
}
