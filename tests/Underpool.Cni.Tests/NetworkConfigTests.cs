using System.Text.Json;

namespace Underpool.Cni.Tests;

public sealed class NetworkConfigTests
{
    private const string Macvlan = """
        {
          "cniVersion": "1.0.0",
          "name": "underlay",
          "type": "macvlan",
          "master": "eth1",
          "ipam": {
            "type": "underpool",
            "socket": "/run/custom/agent.sock",
            "pools": { "ipv4": ["rack-a", "rack-b"], "ipv6": ["rack-a6"] },
            "futureOption": 42
          },
          "runtimeConfig": { "ips": ["10.0.0.5/24"], "ipRanges": [[{ "subnet": "10.0.0.0/24" }]] },
          "args": { "cni": { "ips": ["10.0.0.7"] } }
        }
        """;

    [Fact]
    public void A_full_config_is_read()
    {
        NetworkConfig config = TestJson.Config(Macvlan);

        Assert.Equal("1.0.0", config.CniVersion);
        Assert.Equal("underlay", config.Name);
        Assert.Equal("macvlan", config.Type);
        Assert.Equal("eth1", config.Master);
        Assert.Equal("underpool", config.Ipam.Type);
        Assert.Equal("/run/custom/agent.sock", config.Ipam.Socket);
        Assert.Equal(["rack-a", "rack-b"], config.Ipam.Pools.Ipv4);
        Assert.Equal(["rack-a6"], config.Ipam.Pools.Ipv6);
        Assert.Equal(["10.0.0.5/24"], config.RuntimeConfig.Ips);
        Assert.Equal(JsonValueKind.Array, config.RuntimeConfig.IpRanges?.ValueKind);
        Assert.Equal(JsonValueKind.Object, config.Args?.ValueKind);
        Assert.Null(config.PrevResult);
        Assert.Null(config.ValidAttachments);
    }

    [Fact]
    public void Socket_defaults_when_absent()
    {
        NetworkConfig config = TestJson.Config("""{"cniVersion":"1.1.0","name":"n","ipam":{"type":"underpool"}}""");

        Assert.Equal("/run/underpool/agent.sock", config.Ipam.Socket);
        Assert.Equal(IpamConfig.DefaultSocket, config.Ipam.Socket);
    }

    [Fact]
    public void A_config_without_ipam_gets_the_defaults()
    {
        NetworkConfig config = TestJson.Config("""{"cniVersion":"1.1.0","name":"n"}""");

        Assert.Equal(IpamConfig.DefaultSocket, config.Ipam.Socket);
        Assert.Empty(config.Ipam.Pools.Ipv4);
        Assert.Empty(config.Ipam.Pools.Ipv6);
        Assert.Empty(config.RuntimeConfig.Ips);
    }

    [Fact]
    public void Null_optional_fields_count_as_absent()
    {
        NetworkConfig config = TestJson.Config("""{"cniVersion":"1.1.0","name":"n","ipam":{"socket":null,"pools":null}}""");

        Assert.Equal(IpamConfig.DefaultSocket, config.Ipam.Socket);
    }

    [Fact]
    public void A_byte_order_mark_is_skipped()
    {
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. TestJson.Utf8("""{"cniVersion":"1.1.0","name":"n"}""")];

        Assert.True(NetworkConfig.Parse(withBom).IsSuccess);
    }

    [Fact]
    public void PrevResult_is_kept_raw_and_outlives_parsing()
    {
        NetworkConfig config = TestJson.Config(
            """{"cniVersion":"1.0.0","name":"n","prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.5/24"}]}}""");

        Assert.Equal("10.0.0.5/24", config.PrevResult?.GetProperty("ips")[0].GetProperty("address").GetString());
    }

    [Theory]
    [InlineData("cni.dev/valid-attachments")]
    [InlineData("cni.dev/attachments")]
    public void Gc_attachments_are_read_under_either_key(string key)
    {
        NetworkConfig config = TestJson.Config($$"""
            {"cniVersion":"1.1.0","name":"n","{{key}}":[{"containerID":"c1","ifname":"eth0"},{"containerID":"c2","ifname":"net1"}]}
            """);

        Assert.Equal([new GcAttachment("c1", "eth0"), new GcAttachment("c2", "net1")], config.ValidAttachments);
    }

    [Fact]
    public void Gc_prefers_the_current_key_when_both_are_sent()
    {
        NetworkConfig config = TestJson.Config("""
            {"cniVersion":"1.1.0","name":"n",
             "cni.dev/attachments":[{"containerID":"old","ifname":"eth0"}],
             "cni.dev/valid-attachments":[{"containerID":"new","ifname":"eth0"}]}
            """);

        Assert.Equal([new GcAttachment("new", "eth0")], config.ValidAttachments);
    }

    [Fact]
    public void Gc_with_an_empty_list_is_not_the_same_as_no_list()
    {
        NetworkConfig config = TestJson.Config("""{"cniVersion":"1.1.0","name":"n","cni.dev/valid-attachments":[]}""");

        Assert.NotNull(config.ValidAttachments);
        Assert.Empty(config.ValidAttachments);
    }

    [Fact]
    public void Gc_attachment_without_ifname_is_error_7()
    {
        CniError error = TestJson.ConfigError("""{"cniVersion":"1.1.0","name":"n","cni.dev/valid-attachments":[{"containerID":"c1"}]}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("cni.dev/valid-attachments[0].ifname", error.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":""", "line 1, column 30")]
    [InlineData("{\n  \"cniVersion\": \"1.0.0\",\n  \"name\": \"n\",\n}", "line 4")]
    [InlineData("""{"cniVersion":"1.0.0"} trailing""", "line 1")]
    public void Malformed_json_is_error_6_saying_where(string json, string where)
    {
        CniError error = TestJson.ConfigError(json);

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains("not valid JSON", error.Msg, StringComparison.Ordinal);
        Assert.Contains(where, error.Msg, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Msg, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", error.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    public void Empty_stdin_is_error_6(string json)
    {
        CniError error = TestJson.ConfigError(json);

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains("empty", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_value_that_is_not_an_object_is_error_6()
    {
        CniError error = TestJson.ConfigError("[1,2]");

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains("must be a JSON object", error.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("2.0.0")]
    public void Unknown_cniVersion_is_error_1_naming_it_and_the_supported_ones(string version)
    {
        CniError error = TestJson.ConfigError($$"""{"cniVersion":"{{version}}","name":"n"}""");

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains($"\"{version}\"", error.Msg, StringComparison.Ordinal);
        Assert.Contains("0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_cniVersion_is_error_7()
    {
        CniError error = TestJson.ConfigError("""{"name":"n"}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("\"cniVersion\"", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_name_is_error_7()
    {
        CniError error = TestJson.ConfigError("""{"cniVersion":"1.0.0"}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("no \"name\"", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_bad_characters_is_error_7_showing_it()
    {
        CniError error = TestJson.ConfigError("""{"cniVersion":"1.0.0","name":"my net"}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("\"my net\"", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_255_characters_is_error_7()
    {
        CniError error = TestJson.ConfigError($$"""{"cniVersion":"1.0.0","name":"{{new string('n', 256)}}"}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("is 256 characters long; at most 255", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_is_not_a_string_is_error_7_showing_the_value()
    {
        CniError error = TestJson.ConfigError("""{"cniVersion":"1.0.0","name":42}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal("name must be a string; got the number 42", error.Msg);
    }

    [Theory]
    [InlineData("""{"ipv4":"rack-a"}""", "ipam.pools.ipv4 must be a list of strings", "the string \"rack-a\"")]
    [InlineData("""{"ipv6":[1]}""", "ipam.pools.ipv6[0] must be a string", "the number 1")]
    [InlineData("""{"ipv4":[""]}""", "ipam.pools.ipv4[0] is an empty string", "")]
    [InlineData("""["rack-a"]""", "ipam.pools must be an object", "a list")]
    [InlineData("""{"IPv4":["rack-a"]}""", "unknown key \"IPv4\"", "\"ipv4\"")]
    public void Wrong_pools_shape_is_error_7_naming_the_field_and_value(string pools, string what, string shown)
    {
        CniError error = TestJson.ConfigError($$$"""{"cniVersion":"1.0.0","name":"n","ipam":{"pools":{{{pools}}}}}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(what, error.Msg, StringComparison.Ordinal);
        Assert.Contains(shown, error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_socket_is_error_7()
    {
        CniError error = TestJson.ConfigError("""{"cniVersion":"1.0.0","name":"n","ipam":{"socket":"agent.sock"}}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("\"agent.sock\" is not an absolute path", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipam_that_is_not_an_object_is_error_7()
    {
        CniError error = TestJson.ConfigError("""{"cniVersion":"1.0.0","name":"n","ipam":"underpool"}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.StartsWith("ipam must be an object", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeConfig_ips_that_are_not_strings_is_error_7()
    {
        CniError error = TestJson.ConfigError("""{"cniVersion":"1.0.0","name":"n","runtimeConfig":{"ips":"10.0.0.5"}}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("runtimeConfig.ips must be a list of strings", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_errors_serialize_as_cni_error_json()
    {
        CniError error = TestJson.ConfigError("""{"cniVersion":"9.9.9","name":"n"}""");

        JsonElement json = TestJson.Parse(error.Serialize(CniVersion.Latest));

        Assert.Equal(1, json.GetProperty("code").GetInt32());
        Assert.Equal("1.1.0", json.GetProperty("cniVersion").GetString());
        Assert.Contains("9.9.9", json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }
}
