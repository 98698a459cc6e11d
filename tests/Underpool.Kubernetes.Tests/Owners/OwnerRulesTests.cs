using k8s.Models;
using Underpool.Kubernetes.Owners;
using Underpool.Kubernetes.Pods;

namespace Underpool.Kubernetes.Tests.Owners;

public sealed class OwnerRulesTests
{
    [Fact]
    public void An_apps_v1_StatefulSet_owns_a_static_endpoint()
    {
        WorkloadOwner? owner = OwnerRules.Direct(new OwnerReference("apps/v1", "StatefulSet", "db", "u1"));

        Assert.Equal(new WorkloadOwner("StatefulSet", "db", IsStatefulSet: true, AppKey: null), owner);
    }

    [Fact]
    public void An_OpenKruise_StatefulSet_is_a_stateless_owner_whose_kind_names_its_group()
    {
        WorkloadOwner? owner = OwnerRules.Direct(new OwnerReference("apps.kruise.io/v1beta1", "StatefulSet", "db", "u1"));

        Assert.Equal(new WorkloadOwner("StatefulSet.apps.kruise.io", "db", IsStatefulSet: false, AppKey: null), owner);
    }

    [Theory]
    [InlineData("batch/v1", "Job", "Job")]
    [InlineData("apps/v1", "DaemonSet", "DaemonSet")]
    [InlineData("v1", "ReplicationController", "ReplicationController")]
    [InlineData("kubevirt.io/v1", "VirtualMachineInstance", "VirtualMachineInstance.kubevirt.io")]
    public void Other_controllers_are_stateless_owners(string apiVersion, string kind, string expectedKind)
    {
        WorkloadOwner? owner = OwnerRules.Direct(new OwnerReference(apiVersion, kind, "x", null));

        Assert.Equal(new WorkloadOwner(expectedKind, "x", IsStatefulSet: false, AppKey: null), owner);
    }

    [Fact]
    public void A_pod_without_a_controller_has_no_owner() => Assert.Null(OwnerRules.Direct(null));

    [Fact]
    public void Only_an_apps_v1_ReplicaSet_needs_its_own_lookup()
    {
        Assert.True(OwnerRules.NeedsReplicaSet(new OwnerReference("apps/v1", "ReplicaSet", "web-5d4f", null)));
        Assert.False(OwnerRules.NeedsReplicaSet(new OwnerReference("example.com/v1", "ReplicaSet", "web-5d4f", null)));
        Assert.False(OwnerRules.NeedsReplicaSet(new OwnerReference("apps/v1", "StatefulSet", "db", null)));
        Assert.False(OwnerRules.NeedsReplicaSet(null));
    }

    [Fact]
    public void A_ReplicaSet_of_a_Deployment_gives_the_application_key_of_the_Deployment()
    {
        WorkloadOwner owner = OwnerRules.FromReplicaSet("shop", new OwnerReference("apps/v1", "ReplicaSet", "web-5d4f", "rs"), new OwnerReference("apps/v1", "Deployment", "web", "d"));

        Assert.Equal(new WorkloadOwner("Deployment", "web", IsStatefulSet: false, AppKey: "shop/web"), owner);
    }

    [Fact]
    public void A_bare_ReplicaSet_is_the_owner_itself_without_an_application()
    {
        WorkloadOwner owner = OwnerRules.FromReplicaSet("shop", new OwnerReference("apps/v1", "ReplicaSet", "web-5d4f", "rs"), null);

        Assert.Equal(new WorkloadOwner("ReplicaSet", "web-5d4f", IsStatefulSet: false, AppKey: null), owner);
    }

    [Fact]
    public void Only_the_owner_reference_marked_controller_counts()
    {
        var meta = new V1ObjectMeta
        {
            OwnerReferences =
            [
                new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "not-me", Uid = "1" },
                new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "db", Uid = "2", Controller = true },
            ],
        };

        Assert.Equal(new OwnerReference("apps/v1", "StatefulSet", "db", "2"), PodMapping.ControllerOf(meta));
    }
}
