using System.Diagnostics;
using k8s.Models;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Pods;
using Underpool.Kubernetes.Watching;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests.Pods;

public sealed class PodDirectoryTests : KubernetesFixture
{
    private PodDirectory _pods = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _pods = PodDirectory.ForNode(Api, "node1", FastBackoff, Log);
    }

    public override async Task DisposeAsync()
    {
        await _pods.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_first_list_holds_this_nodes_pods_only_with_only_our_annotations()
    {
        Server.Put(Objects.Pod("shop", "web-0", annotations: new Dictionary<string, string>
        {
            ["underpool.io/pools"] = """{"ipv4":["a"]}""",
            ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 4000),
        }));
        Server.Put(Objects.Pod("shop", "web-1", node: "node2"));

        await StartAsync();

        PodInfo pod = Assert.Single(_pods.Cache.Snapshot());
        Assert.Equal(("shop/web-0", "node1", PodPhase.Running), (pod.Key, pod.NodeName, pod.Phase));
        Assert.Equal(["underpool.io/pools"], pod.Annotations.Keys);
        Assert.Contains(new FakeApiRequest("list", "", "pods", null), Server.Requests);
    }

    [Fact]
    public async Task Watch_events_add_change_and_remove_pods_and_a_pod_bound_later_is_added()
    {
        await StartAsync();
        var changes = new List<CacheChange<PodInfo>>();
        _pods.Cache.Changed += c =>
        {
            lock (changes)
            {
                changes.Add(c);
            }
        };

        V1Pod pod = Server.Put(Objects.Pod("shop", "web-0"));
        await WaitAsync(() => _pods.TryGetCached("shop", "web-0") is not null, "the pod to be added");
        pod.Status.Phase = "Succeeded";
        Server.Put(pod);
        await WaitAsync(() => _pods.TryGetCached("shop", "web-0")?.Phase == PodPhase.Succeeded, "the pod to change");
        V1Pod pending = Server.Put(Objects.Pod("shop", "late-0", node: null));
        pending.Spec.NodeName = "node1";
        Server.Put(pending);
        await WaitAsync(() => _pods.TryGetCached("shop", "late-0") is not null, "the pod bound to this node to be added");
        Server.Delete<V1Pod>("shop", "web-0");
        await WaitAsync(() => _pods.TryGetCached("shop", "web-0") is null, "the pod to be removed");

        lock (changes)
        {
            CacheChange<PodInfo> deleted = changes.Last(c => c.Key == "shop/web-0");
            Assert.Null(deleted.New);
            Assert.Equal(pod.Metadata.Uid, deleted.Old?.Uid);
        }

        Assert.Equal(1, _pods.Follower.Health.Lists);
        Assert.Contains(new FakeApiRequest("watch", "", "pods", null), Server.Requests);
    }

    [Fact]
    public async Task Bookmarks_move_the_resourceVersion_on_without_any_change_of_ours()
    {
        await StartAsync();
        Server.Put(Objects.Pod("other", "x-0", node: "node2"));
        long now = Server.ResourceVersion;

        Server.SendBookmarks();

        await WaitAsync(() => _pods.Follower.Health.ResourceVersion == now.ToString(System.Globalization.CultureInfo.InvariantCulture), "a bookmark to carry the current version");
        Assert.True(Server.BookmarksSent > 0);
    }

    [Fact]
    public async Task A_dropped_stream_is_resumed_from_the_last_resourceVersion_without_a_relist()
    {
        await StartAsync();
        Server.Put(Objects.Pod("shop", "web-0"));
        await WaitAsync(() => _pods.TryGetCached("shop", "web-0") is not null, "the first pod");

        Server.DropWatches();
        Server.Put(Objects.Pod("shop", "web-1"));

        await WaitAsync(() => _pods.TryGetCached("shop", "web-1") is not null, "the pod written while the stream was down");
        Assert.Equal(1, _pods.Follower.Health.Lists);
        Assert.Equal(1, Server.RequestCount("list", FakeResources.Pods));
        Assert.True(Server.RequestCount("watch", FakeResources.Pods) >= 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_resourceVersion_compacted_away_is_answered_by_a_relist_that_reports_what_was_deleted_meanwhile(bool goneAsHttpStatus)
    {
        Server.GoneAsHttpStatus = goneAsHttpStatus;
        V1Pod gone = Server.Put(Objects.Pod("shop", "web-0"));
        await StartAsync();
        var deleted = new TaskCompletionSource<CacheChange<PodInfo>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pods.Cache.Changed += c =>
        {
            if (c.New is null)
            {
                deleted.TrySetResult(c);
            }
        };

        await Server.StopAsync();
        Server.Delete<V1Pod>("shop", "web-0");
        Server.Put(Objects.Pod("shop", "web-1"));
        Server.Compact();
        await Server.StartAsync();

        CacheChange<PodInfo> change = await deleted.Task.WaitAsync(Generous);
        Assert.Equal(gone.Metadata.Uid, change.Old?.Uid);
        await WaitAsync(() => _pods.TryGetCached("shop", "web-1") is not null, "the pod created during the gap");
        Assert.Equal(2, _pods.Follower.Health.Lists);
        Assert.True(_pods.Follower.Health.Gone >= 1);
    }

    [Fact]
    public async Task A_server_that_is_down_is_retried_with_back_off_and_followed_again_when_it_is_back()
    {
        await StartAsync();
        await Server.StopAsync();

        await WaitAsync(() => _pods.Follower.Health.ConsecutiveFailures >= 3, "three failed attempts");
        Assert.NotNull(_pods.Follower.Health.LastError);
        await Server.StartAsync();
        Server.Put(Objects.Pod("shop", "web-0"));

        await WaitAsync(() => _pods.TryGetCached("shop", "web-0") is not null, "the pod after the server came back");
        await WaitAsync(() => _pods.Follower.Health.ConsecutiveFailures == 0, "the failures to be forgotten");
    }

    [Fact]
    public async Task A_cache_miss_costs_one_GET_and_a_hit_none()
    {
        V1Pod pod = Server.Put(Objects.Pod("shop", "web-0", node: "node2"));

        PodInfo miss = await _pods.GetAsync("shop", "web-0", pod.Metadata.Uid, TimeSpan.FromSeconds(2), default);
        Server.Put(Objects.Pod("shop", "web-1"));
        await StartAsync();
        PodInfo hit = await _pods.GetAsync("shop", "web-1", null, TimeSpan.FromSeconds(2), default);

        Assert.Equal(pod.Metadata.Uid, miss.Uid);
        Assert.Equal("web-1", hit.Name);
        Assert.Equal((1L, 1L), _pods.Counts);
        Assert.Equal(1, Server.RequestCount("get", FakeResources.Pods));
    }

    [Fact]
    public async Task A_pod_of_that_name_with_another_uid_is_a_uid_mismatch_checked_against_the_server_not_the_cache()
    {
        V1Pod pod = Server.Put(Objects.Pod("shop", "web-0"));
        await StartAsync();

        PodIdentityException e = await Assert.ThrowsAsync<PodIdentityException>(() => _pods.GetAsync("shop", "web-0", "not-its-uid", TimeSpan.FromSeconds(2), default));

        Assert.Equal(PodIdentityProblem.UidMismatch, e.Problem);
        Assert.Equal($"pod shop/web-0 has uid {pod.Metadata.Uid}, not not-its-uid as K8S_POD_UID says: the ADD is for another pod of that name", e.Message);
        Assert.Equal(1, Server.RequestCount("get", FakeResources.Pods));
    }

    [Fact]
    public async Task An_unknown_pod_is_a_clear_error()
    {
        PodIdentityException e = await Assert.ThrowsAsync<PodIdentityException>(() => _pods.GetAsync("shop", "ghost", null, TimeSpan.FromSeconds(2), default));

        Assert.Equal(PodIdentityProblem.NotFound, e.Problem);
        Assert.Equal("pod shop/ghost does not exist on the Kubernetes API server", e.Message);
    }

    [Fact]
    public async Task An_API_server_that_is_gone_fails_the_lookup_at_once_naming_the_server()
    {
        await Server.StopAsync();
        var clock = Stopwatch.StartNew();

        KubernetesUnavailableException e = await Assert.ThrowsAsync<KubernetesUnavailableException>(() => _pods.GetAsync("shop", "web-0", null, TimeSpan.FromSeconds(2), default));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.StartsWith($"the Kubernetes API server {Server.Url} cannot be reached for GET pod shop/web-0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_API_server_that_never_answers_fails_the_lookup_at_the_callers_deadline()
    {
        Server.Freeze();
        var clock = Stopwatch.StartNew();

        KubernetesUnavailableException e = await Assert.ThrowsAsync<KubernetesUnavailableException>(
            () => _pods.GetAsync("shop", "web-0", null, TimeSpan.FromMilliseconds(300), default));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Equal($"the Kubernetes API server {Server.Url} did not answer GET pod shop/web-0 within 0.3 s", e.Message);
    }

    private async Task StartAsync()
    {
        _pods.Start();
        await _pods.Follower.WaitSyncedAsync(default).WaitAsync(Generous);
    }
}
