using k8s.Models;
using Underpool.Kubernetes.Events;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests.Events;

public sealed class PodEventRecorderTests : KubernetesFixture
{
    private static readonly EventSubject Pod = new("shop", "web-0", "uid-1");

    [Fact]
    public async Task A_failed_allocation_becomes_a_Warning_Event_on_the_pod_and_a_repeat_counts_on_it()
    {
        var recorder = new PodEventRecorder(Api, "node1", Log);

        Assert.True(await recorder.WarnAsync(Pod, "PoolsExhausted", "no free address in pool vlan20", default));
        Assert.True(await recorder.WarnAsync(Pod, "PoolsExhausted", "no free address in pool vlan20", default));

        Corev1Event e = Assert.Single(Server.List<Corev1Event>());
        Assert.Equal(("Warning", "PoolsExhausted", "no free address in pool vlan20", 2), (e.Type, e.Reason, e.Message, e.Count));
        Assert.Equal(("Pod", "shop", "web-0", "uid-1"), (e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty, e.InvolvedObject.Name, e.InvolvedObject.Uid));
        Assert.Equal(("underpool", "node1"), (e.Source.Component, e.Source.Host));
        Assert.Contains(new FakeApiRequest("create", "", "events", "shop"), Server.Requests);
        Assert.Contains(new FakeApiRequest("patch", "", "events", "shop"), Server.Requests);
    }

    [Fact]
    public async Task Another_reason_is_another_Event_and_an_expired_Event_is_created_again()
    {
        var recorder = new PodEventRecorder(Api, "node1", Log);
        await recorder.WarnAsync(Pod, "PoolsExhausted", "full", default);
        await recorder.WarnAsync(Pod, "AddressTaken", "10.0.0.5 is taken", default);
        Assert.Equal(2, Server.List<Corev1Event>().Count);

        foreach (Corev1Event e in Server.List<Corev1Event>())
        {
            Server.Delete<Corev1Event>("shop", e.Metadata.Name);
        }

        Assert.True(await recorder.WarnAsync(Pod, "PoolsExhausted", "full", default));
        Assert.Equal(1, Assert.Single(Server.List<Corev1Event>()).Count);
    }

    [Fact]
    public async Task An_Event_the_API_cannot_take_is_reported_not_thrown()
    {
        var recorder = new PodEventRecorder(Api, "node1", Log);
        await Server.StopAsync();

        Assert.False(await recorder.WarnAsync(Pod, "PoolsExhausted", "full", default));
    }
}
