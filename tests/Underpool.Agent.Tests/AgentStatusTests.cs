using System.Reflection;
using Underpool.Agent.Hosting;
using Underpool.Agent.Pools;
using Underpool.Store;

namespace Underpool.Agent.Tests;

/// <summary>STATUS (CNI 1.1): the agent is not ready when its store does not answer; the plugin turns that into
/// CNI error 50.</summary>
public sealed class AgentStatusTests
{
    [Fact]
    public async Task Status_is_not_ready_and_says_why_when_the_store_fails()
    {
        IIpamStore store = UnreachableStore.Create(_ => throw new IOException("etcd: no member answered"));
        var status = new AgentStatusService(store, new AgentOptions { Node = "n1" }, StoreReadiness.Reached());

        Api.Contracts.AgentStatus answer = await status.GetAsync(CancellationToken.None);

        Assert.False(answer.Ready);
        Assert.Contains("the store (unreachable test store) failed: etcd: no member answered", answer.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_is_not_ready_when_the_store_does_not_answer_within_its_deadline()
    {
        IIpamStore store = UnreachableStore.Create(token => Task.Delay(Timeout.Infinite, token));
        var status = new AgentStatusService(store, new AgentOptions { Node = "n1" }, StoreReadiness.Reached());

        Api.Contracts.AgentStatus answer = await status.GetAsync(CancellationToken.None);

        Assert.False(answer.Ready);
        Assert.Contains("did not answer within 2 s", answer.Reason, StringComparison.Ordinal);
    }

    /// <summary>A store whose PingAsync runs the given function; every other member is not expected to be called.</summary>
    public class UnreachableStore : DispatchProxy
    {
        private Func<CancellationToken, Task> _ping = _ => Task.CompletedTask;

        public static IIpamStore Create(Func<CancellationToken, Task> ping)
        {
            IIpamStore store = Create<IIpamStore, UnreachableStore>();
            ((UnreachableStore)(object)store)._ping = ping;
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_Description" => "unreachable test store",
            nameof(IIpamStore.PingAsync) => _ping((CancellationToken)args![0]!), // PingAsync has one argument, the token.
            _ => throw new NotSupportedException(targetMethod?.Name),
        };
    }
}
