using k8s.Models;
using Underpool.Kubernetes.Nodes;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests.Nodes;

public sealed class NodeLabelsFollowerTests : KubernetesFixture
{
    [Fact]
    public async Task The_labels_of_this_node_are_followed_and_a_change_is_announced_once()
    {
        Server.Put(Objects.Node("node1", new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "a" }));
        Server.Put(Objects.Node("node2", new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "b" }));
        await using var follower = new NodeLabelsFollower(Api, "node1", FastBackoff, Log);
        var announced = new List<IReadOnlyDictionary<string, string>>();
        follower.LabelsChanged += labels =>
        {
            lock (announced)
            {
                announced.Add(labels);
            }
        };
        follower.Start();
        await follower.Follower.WaitSyncedAsync(default).WaitAsync(Generous);
        Assert.Equal("a", follower.Labels["topology.kubernetes.io/zone"]);

        V1Node node = Server.Get<V1Node>(null, "node1")!;
        node.Status.Conditions[0].Status = "False"; // Not a label: not announced.
        Server.Put(node);
        node = Server.Get<V1Node>(null, "node1")!;
        node.Metadata.Labels["rack"] = "r7";
        Server.Put(node);

        await WaitAsync(() => follower.Labels.ContainsKey("rack"), "the new label");
        lock (announced)
        {
            Assert.Equal(2, announced.Count); // The first list, then the rack label.
            Assert.Equal("r7", announced[^1]["rack"]);
        }

        Assert.Single(follower.Follower.Cache.Snapshot());
        Assert.Contains(new FakeApiRequest("watch", "", "nodes", null), Server.Requests);
    }
}
