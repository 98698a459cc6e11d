using Underpool.Kubernetes.Namespaces;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests.Namespaces;

public sealed class NamespaceDirectoryTests : KubernetesFixture
{
    [Fact]
    public async Task Namespace_annotations_come_from_the_watch_and_a_namespace_it_has_not_shown_costs_one_GET()
    {
        Server.Put(Objects.Namespace("shop", new Dictionary<string, string> { ["underpool.io/default-ipv4-pools"] = """["p1"]""", ["other/x"] = "y" }));
        await using var namespaces = new NamespaceDirectory(Api, FastBackoff, Log);

        IReadOnlyDictionary<string, string> before = await namespaces.AnnotationsAsync("shop", TimeSpan.FromSeconds(2), default);
        namespaces.Start();
        await namespaces.Follower.WaitSyncedAsync(default).WaitAsync(Generous);
        IReadOnlyDictionary<string, string> cached = await namespaces.AnnotationsAsync("shop", TimeSpan.FromSeconds(2), default);
        IReadOnlyDictionary<string, string> missing = await namespaces.AnnotationsAsync("nowhere", TimeSpan.FromSeconds(2), default);

        Assert.Equal(["underpool.io/default-ipv4-pools"], before.Keys);
        Assert.Equal(before, cached);
        Assert.Empty(missing);
        Assert.Equal(2, Server.RequestCount("get", FakeResources.Namespaces));
    }

    [Fact]
    public async Task A_changed_default_applies_to_the_next_lookup()
    {
        Server.Put(Objects.Namespace("shop"));
        await using var namespaces = new NamespaceDirectory(Api, FastBackoff, Log);
        namespaces.Start();
        await namespaces.Follower.WaitSyncedAsync(default).WaitAsync(Generous);

        Server.Put(Objects.Namespace("shop", new Dictionary<string, string> { ["underpool.io/default-ipv6-pools"] = """["p6"]""" }));

        await WaitAsync(() => namespaces.Follower.Cache.Get("shop")?.Annotations.Count == 1, "the new default");
        Assert.Equal(0, Server.RequestCount("get", FakeResources.Namespaces));
    }
}
