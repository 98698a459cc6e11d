using System.Text.Json;

namespace Underpool.Cni.Tests;

public sealed class ForwardedAnnotationsTests
{
    [Fact]
    public void Only_underpool_entries_of_args_cni_are_kept_as_the_json_multus_wrote()
    {
        NetworkConfig config = TestJson.Config("""
            {
              "cniVersion": "1.0.0", "name": "underlay", "type": "macvlan", "ipam": { "type": "underpool" },
              "args": { "cni": { "ips": ["10.0.0.7"], "underpool.io/pools": { "ipv4": ["blue"] }, "underpool.io/static": "true" } }
            }
            """);

        IReadOnlyDictionary<string, JsonElement> forwarded = ForwardedAnnotations.FromArgs(config.Args);

        Assert.Equal(["underpool.io/pools", "underpool.io/static"], forwarded.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{ "ipv4": ["blue"] }""", forwarded["underpool.io/pools"].GetRawText());
        Assert.Equal("true", forwarded["underpool.io/static"].GetString());
    }

    [Fact]
    public void Only_underpool_string_annotations_of_the_cri_pod_annotations_capability_are_kept()
    {
        NetworkConfig config = TestJson.Config("""
            {
              "cniVersion": "1.0.0", "name": "underlay", "type": "macvlan", "ipam": { "type": "underpool" },
              "runtimeConfig": { "io.kubernetes.cri.pod-annotations": {
                "underpool.io/pools": "{\"ipv4\":[\"blue\"]}",
                "underpool.io/ip": 5,
                "kubectl.kubernetes.io/last-applied-configuration": "{...}" } }
            }
            """);

        Assert.Equal(
            [new KeyValuePair<string, string>("underpool.io/pools", """{"ipv4":["blue"]}""")],
            config.RuntimeConfig.PodAnnotations);
    }

    [Fact]
    public void A_config_without_them_forwards_nothing()
    {
        NetworkConfig config = TestJson.Config("""{ "cniVersion": "1.0.0", "name": "underlay", "args": { "cni": "not an object" } }""");

        Assert.Empty(ForwardedAnnotations.FromArgs(config.Args));
        Assert.Empty(config.RuntimeConfig.PodAnnotations);
    }
}
