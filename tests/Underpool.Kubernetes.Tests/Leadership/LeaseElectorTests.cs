using k8s.Models;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Leadership;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests.Leadership;

public sealed class LeaseElectorTests : KubernetesFixture
{
    [Fact]
    public async Task Of_two_agents_exactly_one_leads_and_the_other_takes_over_at_once_when_it_stops()
    {
        await using LeaseElector a = Elector("node-a");
        await using LeaseElector b = Elector("node-b");
        a.Start();
        b.Start();

        await WaitAsync(() => a.IsLeader || b.IsLeader, "a leader");
        (LeaseElector leader, LeaseElector other) = a.IsLeader ? (a, b) : (b, a);
        Assert.False(other.IsLeader);
        await WaitAsync(() => other.Leader == leader.Leader, "the follower to see the leader");

        string stopped = leader.Leader!;
        await leader.StopAsync(release: true);

        // Given up, not left to run out: the lease no longer names the agent that stopped.
        Assert.NotEqual(stopped, Server.Get<V1Lease>("kube-system", "underpool-agent")!.Spec.HolderIdentity);
        await WaitAsync(() => other.IsLeader, "the other agent to lead");
        Assert.False(leader.IsLeader);
        V1Lease lease = Server.Get<V1Lease>("kube-system", "underpool-agent")!;
        Assert.Equal(other == a ? "node-a" : "node-b", lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task A_leader_that_dies_is_replaced_once_its_lease_runs_out()
    {
        await using LeaseElector a = Elector("node-a");
        a.Start();
        await WaitAsync(() => a.IsLeader, "the first leader");
        await using LeaseElector b = Elector("node-b");
        b.Start();

        await a.StopAsync(release: false);
        DateTime died = DateTime.UtcNow;

        await WaitAsync(() => b.IsLeader, "the second agent to lead");
        Assert.True(DateTime.UtcNow - died >= TimeSpan.FromSeconds(1), "took over before the lease could have run out");
    }

    [Fact]
    public async Task A_leader_cut_off_from_the_API_stops_leading_within_the_renew_deadline()
    {
        await using LeaseElector a = Elector("node-a");
        var changes = new List<bool>();
        a.LeadershipChanged += leading =>
        {
            lock (changes)
            {
                changes.Add(leading);
            }
        };
        a.Start();
        await WaitAsync(() => a.IsLeader && Server.RequestCount("update", FakeResources.Leases) > 0, "the leader to renew");

        await Server.StopAsync();

        await WaitAsync(() => !a.IsLeader, "the leader to step down");
        await WaitAsync(
            () =>
            {
                lock (changes)
                {
                    return changes.SequenceEqual([true, false]);
                }
            },
            "started then stopped leading");
        Assert.Contains(new FakeApiRequest("update", "coordination.k8s.io", "leases", "kube-system"), Server.Requests);
        Assert.Contains(new FakeApiRequest("create", "coordination.k8s.io", "leases", "kube-system"), Server.Requests);
    }

    private LeaseElector Elector(string identity) => new(
        NewApi(TimeSpan.FromSeconds(1)),
        new LeaderElectionOptions
        {
            Namespace = "kube-system",
            Identity = identity,
            LeaseDuration = TimeSpan.FromSeconds(1.5),
            RenewDeadline = TimeSpan.FromSeconds(1),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        },
        Log);
}
