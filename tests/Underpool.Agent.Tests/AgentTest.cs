using Underpool.Probe;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>The set-up the agent's HTTP tests share: one agent on an embedded store in a directory of its own, started
/// before every test (xunit runs InitializeAsync first) and stopped, its directory removed, after it.</summary>
public abstract class AgentTest : IAsyncLifetime
{
    private InProcessAgent? _agent;

    protected TempDir Dir { get; } = new();

    protected InProcessAgent Agent => _agent ?? throw new InvalidOperationException("the agent starts in InitializeAsync");

    /// <summary>The prober the agent probes candidates with; none (no probing) unless a test class gives one.</summary>
    protected virtual IAddressProber? Prober => null;

    /// <summary>Where the agent logs, for tests that read its log.</summary>
    protected virtual CapturedLogs? Logs => null;

    public async Task InitializeAsync()
    {
        _agent = await InProcessAgent.StartAsync(Dir.Path, prober: Prober, logs: Logs);
        await ArrangeAsync();
    }

    public async Task DisposeAsync()
    {
        await CleanUpAsync();
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        Dir.Dispose();
    }

    /// <summary>What every test of a class starts from, once the agent runs (pools, another view of the store).</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    /// <summary>Releases what <see cref="ArrangeAsync"/> opened, before the agent stops.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}
