using Underpool.Agent;

namespace Underpool.Daemon.Tests;

public sealed class ProbeFlagsTests
{
    [Fact]
    public void Probing_is_on_by_default_with_a_budget_far_under_an_add()
    {
        AgentOptions options = Flags.Agent([], "host", out _)!;

        Assert.True(options.Probe);
        Assert.Equal((TimeSpan.FromMilliseconds(15), 2), (options.ProbeSettings.Timeout, options.ProbeSettings.Attempts));
        Assert.Null(options.Uplink);
        Assert.Null(options.UplinkNetns);
    }

    [Fact]
    public void Probe_flags_are_read()
    {
        AgentOptions? options = Flags.Agent(
            ["--probe", "off", "--probe-timeout=40", "--probe-attempts", "3", "--uplink", "eth1", "--uplink-netns", "/proc/self/ns/net",
             "--quarantine-recheck", "5"],
            "host",
            out string? error);

        Assert.Null(error);
        Assert.False(options!.Probe);
        Assert.Equal(TimeSpan.FromMilliseconds(120), options.ProbeSettings.Budget);
        Assert.Equal(("eth1", "/proc/self/ns/net"), (options.Uplink, options.UplinkNetns));
        Assert.Equal(TimeSpan.FromSeconds(5), options.QuarantineRecheck);
    }

    [Theory]
    [InlineData("--probe", "yes", "--probe 'yes' must be 'on' or 'off'")]
    [InlineData("--probe-timeout", "0", "from 1 to 1000")]
    [InlineData("--probe-timeout", "15ms", "whole number of milliseconds")]
    [InlineData("--probe-attempts", "11", "from 1 to 10")]
    [InlineData("--uplink", "eth0/1", "is not an interface name")]
    [InlineData("--uplink", "a-very-long-interface", "is not an interface name")]
    [InlineData("--uplink-netns", "/var/run/netns/no-such-namespace-here", "does not exist")]
    [InlineData("--quarantine-recheck", "-1", "from 1 to 86400")]
    public void A_bad_probe_flag_gives_a_message_naming_it(string flag, string value, string expected)
    {
        Assert.Null(Flags.Agent([flag, value], "host", out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
