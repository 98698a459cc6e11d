using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Underpool.Lab.Tests;

/// <summary>The lab with Underpool in it: one real underpoold per node (all sharing one embedded store, as lab
/// nodes share one machine), the real underpoolctl, and the real macvlan plugin exec'ing our plugin.</summary>
internal sealed class UnderpoolLab : IAsyncDisposable
{
    private readonly TempDirectory _state;
    private readonly List<AgentProcess> _agents;
    private readonly string[] _agentArgs;

    private UnderpoolLab(LabNetwork network, TempDirectory state, List<AgentProcess> agents, string[] agentArgs)
    {
        Network = network;
        _state = state;
        _agents = agents;
        _agentArgs = agentArgs;
        Cni = new CniInvoker([UnderpoolBinaries.Directory, LabPrerequisites.DebianCniDirectory]);
    }

    public LabNetwork Network { get; }

    public CniInvoker Cni { get; }

    public IReadOnlyList<AgentProcess> Agents => _agents;

    /// <param name="agentArgs">Further underpoold flags for every agent.</param>
    public static async Task<UnderpoolLab> CreateAsync(int nodes, string subnet, params string[] agentArgs)
    {
        LabPrerequisites.EnsureCniPlugin("macvlan");
        _ = UnderpoolBinaries.Directory;
        var state = TempDirectory.Create("e2e");
        LabNetwork? network = null;
        var agents = new List<AgentProcess>();
        try
        {
            network = await LabNetwork.CreateAsync(nodes, subnet);
            foreach (LabNode node in network.Nodes)
            {
                // The uplink (the netconf's master) lives in the node's namespace: the agent probes there, never in
                // the root namespace it runs in.
                agents.Add(await StartAgentAsync(node, state, agentArgs));
            }

            return new UnderpoolLab(network, state, agents, agentArgs);
        }
        catch
        {
            foreach (AgentProcess agent in agents)
            {
                await agent.DisposeAsync();
            }

            if (network is not null)
            {
                await network.DisposeAsync();
            }

            state.Dispose();
            throw;
        }
    }

    /// <summary>Stops node <paramref name="node"/>'s agent (SIGTERM, as a service manager would); its socket goes away.</summary>
    public async Task StopAgentAsync(int node) => await _agents[node].DisposeAsync();

    /// <summary>Starts node <paramref name="node"/>'s agent again, on the same socket, store and flags.</summary>
    public async Task RestartAgentAsync(int node) => _agents[node] = await StartAgentAsync(Network.Nodes[node], _state, _agentArgs);

    // The uplink (the netconf's master) lives in the node's namespace: the agent probes there, never in the root
    // namespace it runs in. Its log file is appended to across restarts.
    private static Task<AgentProcess> StartAgentAsync(LabNode node, TempDirectory state, string[] agentArgs) =>
        AgentProcess.StartAsync(
            node.Name,
            state.Combine($"{node.Name}.sock"),
            state.Combine("store"),
            state.Combine($"{node.Name}.log"),
            ["--uplink-netns", node.Namespace.Path, .. agentArgs]);

    /// <summary>Runs underpoolctl against node <paramref name="node"/>'s agent (0-based).</summary>
    public async Task<ProcessResult> CtlAsync(int node, params string[] args)
    {
        return await ProcessRunner.RunAsync(UnderpoolBinaries.Ctl, [.. args, "--socket", _agents[node].Socket]);
    }

    /// <summary>underpoolctl with -o json, parsed; fails the test when it exits non-zero.</summary>
    public async Task<JsonElement> CtlJsonAsync(int node, params string[] args)
    {
        ProcessResult result = await CtlAsync(node, [.. args, "-o", "json"]);
        Assert.True(result.Succeeded, result.Describe());
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    /// <summary>A macvlan network config on the node's uplink whose IPAM is Underpool on node <paramref name="node"/>'s agent.</summary>
    public string MacvlanConfig(int node, string[] ipv4, string[]? ipv6 = null, string network = "lab-underlay") =>
        new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = network,
            ["type"] = "macvlan",
            ["master"] = LabNode.Uplink,
            ["mode"] = "bridge",
            ["ipam"] = new JsonObject
            {
                ["type"] = "underpool",
                ["socket"] = _agents[node].Socket,
                ["pools"] = new JsonObject
                {
                    ["ipv4"] = new JsonArray(ipv4.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
                    ["ipv6"] = new JsonArray((ipv6 ?? []).Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
                },
            },
        }.ToJsonString();

    /// <summary>Every agent's log, for a failing assertion's message.</summary>
    public string Logs()
    {
        var text = new StringBuilder();
        foreach (AgentProcess agent in _agents)
        {
            text.AppendLine($"--- {agent.LogFile}").AppendLine(agent.Log());
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (AgentProcess agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await Network.DisposeAsync();
        _state.Dispose();
    }
}
