using System.Text.Json;

namespace Underpool.Cni.Tests;

public sealed class IpamResultTests
{
    private static readonly IpConfig V4 = new("10.0.0.5/24", "10.0.0.1");
    private static readonly IpConfig V6 = new("fd00::5/64", "fd00::1");

    public static TheoryData<string, string> VersionsAndStacks()
    {
        var data = new TheoryData<string, string>();
        foreach (string version in CniVersion.Supported)
        {
            foreach (string stack in new[] { "ipv4", "ipv6", "dual" })
            {
                data.Add(version, stack);
            }
        }

        return data;
    }

    private static IpamResult Result(string stack) => new()
    {
        Ips = stack switch
        {
            "ipv4" => [V4],
            "ipv6" => [V6],
            _ => [V4, V6],
        },
        Routes = stack switch
        {
            "ipv4" => [new RouteConfig("0.0.0.0/0", "10.0.0.1")],
            "ipv6" => [new RouteConfig("::/0", "fd00::1")],
            _ => [new RouteConfig("0.0.0.0/0", "10.0.0.1"), new RouteConfig("::/0")],
        },
    };

    [Theory]
    [MemberData(nameof(VersionsAndStacks))]
    public void Serialize_echoes_the_requested_cniVersion(string version, string stack)
    {
        JsonElement json = TestJson.Parse(Result(stack).Serialize(version));

        Assert.Equal(version, json.GetProperty("cniVersion").GetString());
    }

    [Theory]
    [MemberData(nameof(VersionsAndStacks))]
    public void Serialize_prints_every_address_with_its_gateway(string version, string stack)
    {
        IpamResult result = Result(stack);

        JsonElement ips = TestJson.Parse(result.Serialize(version)).GetProperty("ips");

        Assert.Equal(result.Ips.Count, ips.GetArrayLength());
        for (int i = 0; i < result.Ips.Count; i++)
        {
            Assert.Equal(result.Ips[i].Address, ips[i].GetProperty("address").GetString());
            Assert.Equal(result.Ips[i].Gateway, ips[i].GetProperty("gateway").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(VersionsAndStacks))]
    public void Serialize_adds_ips_version_only_before_1_0_0(string version, string stack)
    {
        IpamResult result = Result(stack);

        JsonElement ips = TestJson.Parse(result.Serialize(version)).GetProperty("ips");

        for (int i = 0; i < result.Ips.Count; i++)
        {
            if (version is "0.3.0" or "0.3.1" or "0.4.0")
            {
                string expected = result.Ips[i].Address.Contains(':', StringComparison.Ordinal) ? "6" : "4";
                Assert.Equal(expected, ips[i].GetProperty("version").GetString());
            }
            else
            {
                Assert.False(TestJson.Has(ips[i], "version"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(VersionsAndStacks))]
    public void Serialize_prints_the_abbreviated_ipam_result(string version, string stack)
    {
        JsonElement json = TestJson.Parse(Result(stack).Serialize(version));

        Assert.False(TestJson.Has(json, "interfaces"));
        foreach (JsonElement ip in json.GetProperty("ips").EnumerateArray())
        {
            Assert.False(TestJson.Has(ip, "interface"));
        }
    }

    [Theory]
    [MemberData(nameof(VersionsAndStacks))]
    public void Serialize_prints_routes(string version, string stack)
    {
        IpamResult result = Result(stack);

        JsonElement routes = TestJson.Parse(result.Serialize(version)).GetProperty("routes");

        Assert.Equal(result.Routes.Count, routes.GetArrayLength());
        Assert.Equal(result.Routes[0].Dst, routes[0].GetProperty("dst").GetString());
    }

    [Fact]
    public void Serialize_omits_null_fields()
    {
        var result = new IpamResult { Ips = [new IpConfig("10.0.0.5/24")], Routes = [new RouteConfig("0.0.0.0/0")] };

        JsonElement json = TestJson.Parse(result.Serialize("1.1.0"));

        Assert.False(TestJson.Has(json.GetProperty("ips")[0], "gateway"));
        Assert.False(TestJson.Has(json.GetProperty("routes")[0], "gw"));
        Assert.False(TestJson.Has(json, "dns"));
    }

    [Fact]
    public void Serialize_omits_routes_when_there_are_none()
    {
        JsonElement json = TestJson.Parse(new IpamResult { Ips = [V4] }.Serialize("1.0.0"));

        Assert.False(TestJson.Has(json, "routes"));
    }

    [Fact]
    public void Serialize_prints_dns_with_only_the_fields_set()
    {
        var result = new IpamResult { Ips = [V4], Dns = new DnsConfig(Nameservers: ["10.0.0.53"], Search: ["svc.local"]) };

        JsonElement dns = TestJson.Parse(result.Serialize("1.1.0")).GetProperty("dns");

        Assert.Equal("10.0.0.53", dns.GetProperty("nameservers")[0].GetString());
        Assert.Equal("svc.local", dns.GetProperty("search")[0].GetString());
        Assert.False(TestJson.Has(dns, "domain"));
        Assert.False(TestJson.Has(dns, "options"));
    }

    [Fact]
    public void Serialize_with_an_unsupported_version_throws()
    {
        Assert.Throws<ArgumentException>(() => new IpamResult { Ips = [V4] }.Serialize("0.2.0"));
    }

    [Fact]
    public void WriteTo_writes_the_same_json_as_Serialize()
    {
        IpamResult result = Result("dual");
        using var stream = new MemoryStream();

        result.WriteTo(stream, "0.4.0");

        Assert.Equal(result.Serialize("0.4.0"), System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Theory]
    [MemberData(nameof(VersionsAndStacks))]
    public void Parse_reads_back_what_Serialize_printed(string version, string stack)
    {
        IpamResult result = Result(stack) with { Dns = new DnsConfig(Domain: "example.org") };

        CniParseResult<IpamResult> parsed = IpamResult.Parse(TestJson.Parse(result.Serialize(version)));

        Assert.True(parsed.IsSuccess, parsed.Error?.Msg);
        Assert.Equal(result.Ips, parsed.Value.Ips);
        Assert.Equal(result.Routes, parsed.Value.Routes);
        Assert.Equal("example.org", parsed.Value.Dns?.Domain);
    }

    [Fact]
    public void Parse_accepts_a_full_result_from_the_main_plugin()
    {
        JsonElement prevResult = TestJson.Parse("""
            {"cniVersion":"0.4.0",
             "interfaces":[{"name":"eth0","mac":"0a:58:0a:00:00:05","sandbox":"/var/run/netns/p"}],
             "ips":[{"version":"4","interface":0,"address":"10.0.0.5/24","gateway":"10.0.0.1"}],
             "dns":{}}
            """);

        CniParseResult<IpamResult> parsed = IpamResult.Parse(prevResult);

        Assert.True(parsed.IsSuccess, parsed.Error?.Msg);
        Assert.Equal([V4], parsed.Value.Ips);
        Assert.Empty(parsed.Value.Routes);
        Assert.Null(parsed.Value.Dns);
    }

    [Fact]
    public void Parse_of_an_ip_without_address_is_error_7_naming_the_entry()
    {
        CniParseResult<IpamResult> parsed = IpamResult.Parse(TestJson.Parse("""{"ips":[{"gateway":"10.0.0.1"}]}"""));

        Assert.False(parsed.IsSuccess);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, parsed.Error.Code);
        Assert.Contains("prevResult.ips[0].address", parsed.Error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_of_ips_that_is_not_a_list_is_error_7()
    {
        CniParseResult<IpamResult> parsed = IpamResult.Parse(TestJson.Parse("""{"ips":{"address":"10.0.0.5/24"}}"""));

        Assert.False(parsed.IsSuccess);
        Assert.StartsWith("prevResult.ips must be a list", parsed.Error.Msg, StringComparison.Ordinal);
    }
}
