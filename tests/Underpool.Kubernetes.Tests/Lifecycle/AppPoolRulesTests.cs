using Underpool.Kubernetes.Annotations;
using Underpool.Kubernetes.Lifecycle;
using static Underpool.Kubernetes.Tests.Lifecycle.Snapshots;

namespace Underpool.Kubernetes.Tests.Lifecycle;

public sealed class AppPoolRulesTests
{
    [Fact]
    public void An_annotated_Deployment_without_a_pool_gets_one_of_replicas_plus_N()
    {
        EnsureAppPool ensure = Assert.IsType<EnsureAppPool>(Assert.Single(Decide(With(Web(3, "+2")))));

        Assert.Equal(("shop/web", "vlan20", 5, false), (ensure.App, ensure.Subnet, ensure.Size, ensure.Keep));
    }

    [Fact]
    public void A_fixed_size_does_not_follow_the_replicas()
    {
        Assert.Empty(Decide(With(Web(7, "4"), Pool(4))));
        Assert.Equal(4, Assert.IsType<EnsureAppPool>(Assert.Single(Decide(With(Web(7, "4"))))).Size);
    }

    [Fact]
    public void A_pool_that_matches_needs_nothing_and_one_that_does_not_is_resized()
    {
        Assert.Empty(Decide(With(Web(3, "+2"), Pool(5))));
        Assert.Equal(6, Assert.IsType<EnsureAppPool>(Assert.Single(Decide(With(Web(4, "+2"), Pool(5))))).Size);
    }

    [Fact]
    public void Without_a_size_the_pool_is_the_replicas_and_never_below_one_address()
    {
        Assert.Equal(3, Assert.IsType<EnsureAppPool>(Assert.Single(Decide(With(Web(3, null))))).Size);
        Assert.Equal(1, Assert.IsType<EnsureAppPool>(Assert.Single(Decide(With(Web(0, "+0"))))).Size);
    }

    [Fact]
    public void Reclaim_false_makes_the_pool_kept_and_a_pool_kept_otherwise_is_updated()
    {
        LifecycleSnapshot snapshot = With(Web(3, "+0", reclaim: "false"), Pool(3));

        Assert.True(Assert.IsType<EnsureAppPool>(Assert.Single(Decide(snapshot))).Keep);
    }

    [Theory]
    [InlineData("0", UnderpoolAnnotations.AppPoolSize)]
    [InlineData("-1", UnderpoolAnnotations.AppPoolSize)]
    [InlineData("+x", UnderpoolAnnotations.AppPoolSize)]
    [InlineData("five", UnderpoolAnnotations.AppPoolSize)]
    public void A_bad_size_is_a_problem_naming_the_annotation_and_the_Deployment(string size, string annotation)
    {
        var problems = new List<AnnotationProblem>();

        Assert.Empty(AppPoolRules.Decide(With(Web(3, size)), problems));
        AnnotationProblem problem = Assert.Single(problems);
        Assert.Equal(annotation, problem.Annotation);
        Assert.StartsWith($"annotation {annotation} of Deployment shop/web:", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_reclaim_value_is_a_problem()
    {
        var problems = new List<AnnotationProblem>();

        Assert.Empty(AppPoolRules.Decide(With(Web(3, "+1", reclaim: "never")), problems));
        Assert.Equal(UnderpoolAnnotations.AppPoolReclaim, Assert.Single(problems).Annotation);
    }

    [Fact]
    public void A_deleted_Deployment_has_its_pools_reclaimed_unless_they_are_kept()
    {
        DeploymentInfo web = Web(3, "+2");
        LifecycleSnapshot snapshot = new() { Now = Now, DeletedDeployments = new Dictionary<string, DeploymentInfo> { [web.Key] = web }, AppPools = [Pool(5)] };

        Assert.Equal(new ReclaimAppPools("shop/web", "Deployment shop/web was deleted"), Assert.Single(Decide(snapshot)));
        Assert.Empty(Decide(snapshot with { AppPools = [Pool(5) with { Keep = true }] }));
    }

    [Fact]
    public void Pools_of_applications_the_watch_never_saw_go_are_left_alone()
    {
        Assert.Empty(Decide(new LifecycleSnapshot { Now = Now, AppPools = [Pool(5)] }));
    }

    [Fact]
    public void A_Deployment_without_the_subnet_annotation_has_nothing_to_do_with_pools()
    {
        DeploymentInfo plain = new("shop", "web", "d1", 3, new Dictionary<string, string>());

        Assert.Empty(Decide(With(plain)));
    }

    private static DeploymentInfo Web(int replicas, string? size, string? reclaim = null)
    {
        var annotations = new Dictionary<string, string> { [UnderpoolAnnotations.AppPoolSubnet] = "vlan20" };
        if (size is not null)
        {
            annotations[UnderpoolAnnotations.AppPoolSize] = size;
        }

        if (reclaim is not null)
        {
            annotations[UnderpoolAnnotations.AppPoolReclaim] = reclaim;
        }

        return new DeploymentInfo("shop", "web", "d1", replicas, annotations);
    }

    private static AppPoolState Pool(int size) => new("web-set", "shop/web", "vlan20", size, Keep: false);

    private static LifecycleSnapshot With(DeploymentInfo deployment, params AppPoolState[] pools) => new()
    {
        Now = Now,
        Deployments = new Dictionary<string, DeploymentInfo> { [deployment.Key] = deployment },
        AppPools = pools,
    };

    private static List<LifecycleAction> Decide(LifecycleSnapshot snapshot) => AppPoolRules.Decide(snapshot, []).ToList();
}
