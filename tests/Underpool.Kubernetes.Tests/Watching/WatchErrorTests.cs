using Underpool.Kubernetes.Pods;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests.Watching;

/// <summary>What a follower does with a watch stream that ends in an ERROR event or carries something that is not an
/// event: 410 Gone lists again, anything else is a failure it backs off from and resumes after, without losing the
/// cache or its task.</summary>
public sealed class WatchErrorTests : KubernetesFixture
{
    private PodDirectory _pods = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _pods = PodDirectory.ForNode(Api, "node1", FastBackoff, Log);
        Server.Put(KubeObjects.Pod("shop", "web-0"));
    }

    public override async Task DisposeAsync()
    {
        await _pods.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task An_ERROR_event_with_410_Gone_is_answered_by_a_relist()
    {
        Server.WatchesEndWith = FakeKubernetesApiServer.ErrorEvent(410, "Expired", "too old resource version: 2 (5)");
        _pods.Start();

        await WaitAsync(() => _pods.Follower.Health is { Gone: >= 1, Lists: >= 2 }, "a relist after the 410");
        Assert.Equal(0, _pods.Follower.Health.ConsecutiveFailures);
        await RecoversAsync();
    }

    [Fact]
    public async Task An_ERROR_event_of_another_code_is_a_failure_backed_off_from_without_a_relist()
    {
        Server.WatchesEndWith = FakeKubernetesApiServer.ErrorEvent(500, "InternalError", "etcdserver: request timed out");
        _pods.Start();

        await WaitAsync(() => _pods.Follower.Health.ConsecutiveFailures >= 2, "two failed watches");
        Assert.Contains("ended: 500 InternalError: etcdserver: request timed out", _pods.Follower.Health.LastError, StringComparison.Ordinal);
        Assert.Equal((1, 0), (_pods.Follower.Health.Lists, _pods.Follower.Health.Gone));
        Assert.NotNull(_pods.TryGetCached("shop", "web-0"));
        await RecoversAsync();
    }

    [Fact]
    public async Task A_line_that_is_not_an_event_is_a_clear_failure_backed_off_from_and_the_watch_resumes()
    {
        Server.WatchesEndWith = "<html><body>502 Bad Gateway</body></html>";
        _pods.Start();

        await WaitAsync(() => _pods.Follower.Health.ConsecutiveFailures >= 2, "two failed watches");
        Assert.Contains("ended: not a watch event", _pods.Follower.Health.LastError, StringComparison.Ordinal);
        Assert.EndsWith("'<html><body>502 Bad Gateway</body></html>'", _pods.Follower.Health.LastError, StringComparison.Ordinal);
        Assert.Equal(1, _pods.Follower.Health.Lists);
        Assert.NotNull(_pods.TryGetCached("shop", "web-0"));
        await RecoversAsync();
    }

    /// <summary>The server behaves again: the follower (still running) picks up a change and forgets its failures.</summary>
    private async Task RecoversAsync()
    {
        Server.WatchesEndWith = null;
        Server.Put(KubeObjects.Pod("shop", "web-1"));

        await WaitAsync(() => _pods.TryGetCached("shop", "web-1") is not null, "the pod written after the server recovered");
        await WaitAsync(() => _pods.Follower.Health is { ConsecutiveFailures: 0, LastError: null }, "the failures to be forgotten");
    }
}
