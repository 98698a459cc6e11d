using System.Text.Json;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Kubernetes.Annotations;
using Underpool.Kubernetes.Owners;

namespace Underpool.Kubernetes.Tests.Annotations;

public sealed class PodIntentResolverTests
{
    private static readonly Dictionary<string, IpFamily> Known = new()
    {
        ["a4"] = IpFamily.V4, ["b4"] = IpFamily.V4, ["ns4"] = IpFamily.V4, ["net4"] = IpFamily.V4,
        ["a6"] = IpFamily.V6, ["ns6"] = IpFamily.V6,
    };

    private static readonly WorkloadOwner StatefulSet = new("StatefulSet", "db", true, null);
    private static readonly WorkloadOwner Deployment = new("Deployment", "web", false, "shop/web");

    [Fact]
    public void Pools_by_interface_win_over_every_other_source()
    {
        PodIntent intent = Resolve(Request(
            api: new()
            {
                [UnderpoolAnnotations.PoolsByInterface] = """[{"interface":"eth0","ipv4":["b4"]},{"interface":"net1","ipv4":["a4"],"ipv6":["a6"]}]""",
                [UnderpoolAnnotations.Pools] = """{"ipv4":["b4"]}""",
            },
            ns: NamespaceDefaults));

        Assert.Equal(PoolSource.PodByInterface, intent.PoolSource);
        Assert.Equal(["a4"], intent.Pools.Ipv4);
        Assert.Equal(["a6"], intent.Pools.Ipv6);
    }

    [Fact]
    public void Pools_by_interface_without_this_interface_leave_the_choice_to_the_pod_pools()
    {
        PodIntent intent = Resolve(Request(api: new()
        {
            [UnderpoolAnnotations.PoolsByInterface] = """[{"interface":"net2","ipv4":["a4"]}]""",
            [UnderpoolAnnotations.Pools] = """{"ipv4":["b4"]}""",
        }));

        Assert.Equal(PoolSource.Pod, intent.PoolSource);
        Assert.Equal(["b4"], intent.Pools.Ipv4);
        Assert.Empty(intent.Pools.Ipv6);
    }

    [Fact]
    public void Pod_pools_win_over_the_namespace_defaults_and_decide_both_families()
    {
        PodIntent intent = Resolve(Request(api: new() { [UnderpoolAnnotations.Pools] = """{"ipv4":["a4"]}""" }, ns: NamespaceDefaults));

        Assert.Equal(PoolSource.Pod, intent.PoolSource);
        Assert.Equal(["a4"], intent.Pools.Ipv4);
        Assert.Empty(intent.Pools.Ipv6);
    }

    [Fact]
    public void Namespace_defaults_win_over_the_netconf_pools()
    {
        PodIntent intent = Resolve(Request(ns: NamespaceDefaults, netconf: new PoolChoice { Ipv4 = ["net4"] }));

        Assert.Equal(PoolSource.Namespace, intent.PoolSource);
        Assert.Equal(["ns4"], intent.Pools.Ipv4);
        Assert.Equal(["ns6"], intent.Pools.Ipv6);
    }

    [Fact]
    public void A_namespace_default_of_one_family_is_a_choice_of_that_family_only()
    {
        PodIntent intent = Resolve(Request(ns: new() { [UnderpoolAnnotations.DefaultIpv6Pools] = """["ns6"]""" }, netconf: new PoolChoice { Ipv4 = ["net4"] }));

        Assert.Equal(PoolSource.Namespace, intent.PoolSource);
        Assert.Empty(intent.Pools.Ipv4);
        Assert.Equal(["ns6"], intent.Pools.Ipv6);
    }

    [Fact]
    public void The_netconf_pools_apply_without_annotations_and_nothing_means_the_default_pools()
    {
        Assert.Equal(PoolSource.Netconf, Resolve(Request(netconf: new PoolChoice { Ipv4 = ["net4"] })).PoolSource);
        PodIntent bare = Resolve(Request());
        Assert.Equal(PoolSource.Default, bare.PoolSource);
        Assert.Empty(bare.Pools.Ipv4);
        Assert.Empty(bare.Pools.Ipv6);
    }

    [Fact]
    public void Multus_cni_args_win_over_the_pod_annotations_and_may_hold_the_JSON_itself()
    {
        using JsonDocument args = JsonDocument.Parse("""{"underpool.io/pools":{"ipv4":["a4"]},"ips":["10.0.0.1"]}""");
        var api = new Dictionary<string, string> { [UnderpoolAnnotations.Pools] = """{"ipv4":["b4"]}""" };
        PodIntentRequest request = Request() with { Annotations = PodAnnotations.From(Args(args), api, null) };

        Assert.Equal(["a4"], Resolve(request).Pools.Ipv4);
    }

    [Fact]
    public void Multus_cni_args_may_hold_the_annotation_as_a_string()
    {
        using JsonDocument args = JsonDocument.Parse("""{"underpool.io/pools":"{\"ipv4\":[\"a4\"]}"}""");
        PodIntentRequest request = Request() with { Annotations = PodAnnotations.From(Args(args), null, null) };

        Assert.Equal(["a4"], Resolve(request).Pools.Ipv4);
    }

    [Fact]
    public void The_API_copy_of_the_pod_annotations_wins_over_the_runtime_copy_which_is_used_without_it()
    {
        var runtime = new Dictionary<string, string> { [UnderpoolAnnotations.Pools] = """{"ipv4":["b4"]}""" };
        var api = new Dictionary<string, string> { [UnderpoolAnnotations.Pools] = """{"ipv4":["a4"]}""" };

        Assert.Equal(["a4"], Resolve(Request() with { Annotations = PodAnnotations.From(null, api, runtime) }).Pools.Ipv4);
        Assert.Equal(["b4"], Resolve(Request() with { Annotations = PodAnnotations.From(null, null, runtime) }).Pools.Ipv4);
    }

    [Theory]
    [InlineData("underpool.io/pools", """{"ipv4":["nope"]}""", "names pool 'nope', which does not exist")]
    [InlineData("underpool.io/pools", """{"ipv4":["a6"]}""", "lists pool 'a6' as IPv4, but it is an IPv6 pool")]
    [InlineData("underpool.io/pools", """{"ipv4":["a4"]""", "is not valid JSON")]
    [InlineData("underpool.io/pools", """{"ipV4":["a4"]}""", "unknown key \"ipV4\"")]
    [InlineData("underpool.io/pools", """{"ipv4":[]}""", "names no pool")]
    [InlineData("underpool.io/pools", """{"ipv4":"a4"}""", "must be a list of names")]
    [InlineData("underpool.io/pools", """["a4"]""", "must be a JSON object")]
    [InlineData("underpool.io/pools-by-interface", """{"interface":"net1"}""", "must be a JSON list of interfaces")]
    [InlineData("underpool.io/pools-by-interface", """[{"ipv4":["a4"]}]""", "without \"interface\"")]
    [InlineData("underpool.io/pools-by-interface", """[{"interface":"net1","ipv4":["a4"]},{"interface":"net1","ipv4":["b4"]}]""", "lists interface net1 twice")]
    [InlineData("underpool.io/ip", "10.0.0.300", "'10.0.0.300' is not an IP address")]
    [InlineData("underpool.io/ip", "10.0.0.5,10.0.0.6", "two IPv4 addresses")]
    [InlineData("underpool.io/ips-by-interface", """[{"interface":"net1","ipv4":"fd00::1"}]""", "must be one IPv4 address")]
    [InlineData("underpool.io/ips-by-interface", """[{"interface":"net1"}]""", "gives interface net1 no address")]
    [InlineData("underpool.io/static", "yes", "must be \"true\" or \"false\"")]
    [InlineData("underpool.io/app", "a/b/c", "must be NAME or NAMESPACE/NAME")]
    public void A_bad_annotation_is_a_problem_naming_the_annotation_and_the_pod(string annotation, string value, string expected)
    {
        Checked<PodIntent> result = PodIntentResolver.Resolve(Request(api: new() { [annotation] = value }), Family);

        Assert.False(result.IsValid);
        Assert.Equal(annotation, result.Problem.Annotation);
        Assert.Contains("pod shop/web-0", result.Problem.Message, StringComparison.Ordinal);
        Assert.Contains(expected, result.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_namespace_default_is_a_problem_naming_the_namespace_annotation()
    {
        Checked<PodIntent> result = PodIntentResolver.Resolve(Request(ns: new() { [UnderpoolAnnotations.DefaultIpv4Pools] = "p1" }), Family);

        Assert.Equal(UnderpoolAnnotations.DefaultIpv4Pools, result.Problem?.Annotation);
        Assert.StartsWith("annotation underpool.io/default-ipv4-pools of the namespace of pod shop/web-0", result.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_from_cni_args_says_so()
    {
        using JsonDocument args = JsonDocument.Parse("""{"underpool.io/pools":{"ipv4":["zzz"]}}""");
        Checked<PodIntent> result = PodIntentResolver.Resolve(Request() with { Annotations = PodAnnotations.From(Args(args), null, null) }, Family);

        Assert.Contains("(from the network's args.cni)", result.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_the_runtime_asked_for_win_over_the_annotations()
    {
        PodIntentRequest request = Request(api: new() { [UnderpoolAnnotations.Ip] = "10.0.0.5" }) with { RuntimeRequestedIps = ["10.0.0.9/24"] };

        Assert.Equal(["10.0.0.9/24"], Resolve(request).RequestedIps);
    }

    [Fact]
    public void Addresses_by_interface_win_over_the_pod_address_which_applies_to_other_interfaces()
    {
        var api = new Dictionary<string, string>
        {
            [UnderpoolAnnotations.IpsByInterface] = """[{"interface":"net1","ipv4":"10.0.0.7","ipv6":"fd00::7"}]""",
            [UnderpoolAnnotations.Ip] = "10.0.0.5",
        };

        Assert.Equal(["10.0.0.7", "fd00::7"], Resolve(Request(api: api)).RequestedIps);
        Assert.Equal(["10.0.0.5"], Resolve(Request(api: api) with { IfName = "net2" }).RequestedIps);
    }

    [Fact]
    public void The_pod_address_may_name_one_address_per_family()
    {
        Assert.Equal(["10.0.0.5", "fd00::5"], Resolve(Request(api: new() { [UnderpoolAnnotations.Ip] = "fd00::5, 10.0.0.5" })).RequestedIps);
    }

    [Fact]
    public void A_StatefulSet_owner_makes_the_endpoint_static_and_the_annotation_can_say_otherwise()
    {
        Assert.True(Resolve(Request() with { Owner = StatefulSet }).IsStatic);
        Assert.False(Resolve(Request(api: new() { [UnderpoolAnnotations.Static] = "false" }) with { Owner = StatefulSet }).IsStatic);
        Assert.True(Resolve(Request(api: new() { [UnderpoolAnnotations.Static] = "true" }) with { Owner = Deployment }).IsStatic);
        Assert.False(Resolve(Request() with { Owner = Deployment }).IsStatic);
        Assert.True(Resolve(Request() with { NetconfStatic = true }).IsStatic);
    }

    [Fact]
    public void The_owner_is_what_the_records_keep_and_a_Deployment_gives_the_application()
    {
        PodIntent intent = Resolve(Request() with { Owner = Deployment });

        Assert.Equal(("Deployment", "web"), intent.Owner);
        Assert.Equal("shop/web", intent.App);
    }

    [Theory]
    [InlineData("front", "shop/front")]
    [InlineData("other/front", "other/front")]
    public void The_app_annotation_wins_over_the_Deployment(string value, string expected)
    {
        Assert.Equal(expected, Resolve(Request(api: new() { [UnderpoolAnnotations.App] = value }) with { Owner = Deployment }).App);
    }

    private static Dictionary<string, string> NamespaceDefaults => new()
    {
        [UnderpoolAnnotations.DefaultIpv4Pools] = """["ns4"]""",
        [UnderpoolAnnotations.DefaultIpv6Pools] = """["ns6"]""",
    };

    private static IpFamily? Family(string pool) => Known.TryGetValue(pool, out IpFamily f) ? f : null;

    private static Dictionary<string, JsonElement> Args(JsonDocument doc) => doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);

    private static PodIntentRequest Request(Dictionary<string, string>? api = null, Dictionary<string, string>? ns = null, PoolChoice? netconf = null) => new()
    {
        PodNamespace = "shop",
        PodName = "web-0",
        IfName = "net1",
        Annotations = PodAnnotations.From(null, api, null),
        NamespaceAnnotations = ns ?? new Dictionary<string, string>(),
        NetconfPools = netconf ?? new PoolChoice(),
    };

    private static PodIntent Resolve(PodIntentRequest request)
    {
        Checked<PodIntent> result = PodIntentResolver.Resolve(request, Family);
        Assert.True(result.IsValid, result.Problem?.Message);
        return result.Value!;
    }
}
