using System.Text.Json.Nodes;
using Underpool.Deploy.Tests.Support;
using Underpool.Testing;

namespace Underpool.Deploy.Tests.Scripts;

/// <summary>The DaemonSet's probes, exactly as rendered, run against real agents: ready means the agent and its store
/// answer; alive means the agent answers, so a store outage makes agents unready but never restarts them.</summary>
public sealed class ProbeCommandTests : IDisposable
{
    private readonly TempDir _socketDir = new();

    [Fact]
    public async Task Against_a_ready_agent_the_startup_readiness_and_liveness_probes_all_pass()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync();
        Link(agent.Socket);

        foreach (string probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Ran ran = await ProbeAsync(probe);
            Assert.True(ran.ExitCode == 0, $"{probe}: {ran.Describe()}");
        }
    }

    [Fact]
    public async Task When_the_store_stops_answering_the_agent_is_unready_but_alive()
    {
        await using EtcdCluster etcd = await EtcdCluster.StartAsync(1);
        await using InProcessAgent agent = await InProcessAgent.StartOnEtcdAsync(etcd.ClientUrls, "/probe-test", "node1", callTimeout: TimeSpan.FromSeconds(1));
        Link(agent.Socket);
        Assert.Equal(0, (await ProbeAsync("readinessProbe")).ExitCode);

        await etcd.KillAsync(0);

        Ran readiness = await ProbeAsync("readinessProbe");
        Assert.True(readiness.ExitCode != 0, readiness.Describe());
        Assert.Contains("store", readiness.Output, StringComparison.Ordinal);
        Ran liveness = await ProbeAsync("livenessProbe");
        Assert.True(liveness.ExitCode == 0, liveness.Describe());
    }

    [Fact]
    public async Task Without_an_agent_every_probe_fails()
    {
        foreach (string probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Ran ran = await ProbeAsync(probe);
            Assert.True(ran.ExitCode != 0, $"{probe} passed with no agent: {ran.Describe()}");
        }
    }

    public void Dispose() => _socketDir.Dispose();

    /// <summary>The chart's socket name in our directory, pointing at the test agent's socket.</summary>
    private void Link(string socket) => File.CreateSymbolicLink(Path.Combine(_socketDir.Path, "agent.sock"), socket);

    /// <summary>Runs the probe's exec command as rendered for a socket directory of ours, with the image's
    /// /usr/local/bin (the Dockerfile puts the programs there) mapped to the build's out/bin.</summary>
    private async Task<Ran> ProbeAsync(string probe)
    {
        Rendered rendered = await Helm.TemplateAsync(new ValueSet($"socket dir {_socketDir.Path}", $"agent: {{socketDir: {_socketDir.Path}}}"));
        JsonNode exec = rendered.Agent[probe]!["exec"]!;
        string[] command = Rendered.Strings(exec["command"]).Select(a => a.Replace("/usr/local/bin/", Repository.Bin + "/", StringComparison.Ordinal)).ToArray();
        int timeout = (int?)rendered.Agent[probe]!["timeoutSeconds"] ?? 1;
        return await Run.ProgramAsync(command[0], command[1..], timeout: TimeSpan.FromSeconds(timeout + 10));
    }
}
