namespace Underpool.Plugin.Tests;

/// <summary>Base of the tests that need a live agent: a fresh one per test, stopped and deleted after it.</summary>
public abstract class AgentTest : IAsyncLifetime
{
    private PluginAgent? _agent;

    internal PluginAgent Agent => _agent ?? throw new InvalidOperationException("the agent starts in InitializeAsync");

    internal PluginRunner Plugin => Agent.Plugin();

    public async Task InitializeAsync() => _agent = await PluginAgent.StartAsync();

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }
    }
}
