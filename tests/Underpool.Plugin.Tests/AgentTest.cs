using Underpool.Testing;

namespace Underpool.Plugin.Tests;

/// <summary>Base of the tests that need a live agent: a fresh one per test, stopped and deleted after it.</summary>
public abstract class AgentTest : IAsyncLifetime
{
    private InProcessAgent? _agent;

    internal InProcessAgent Agent => _agent ?? throw new InvalidOperationException("the agent starts in InitializeAsync");

    internal PluginRunner Plugin => new(Agent.Socket);

    public async Task InitializeAsync() => _agent = await InProcessAgent.StartAsync();

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }
    }
}
