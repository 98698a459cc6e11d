namespace Underpool.Cni.Tests;

public sealed class CniArgsTests
{
    private static CniArgs Valid(string? value)
    {
        CniParseResult<CniArgs> result = CniArgs.Parse(value);
        Assert.True(result.IsSuccess, result.Error?.Msg);
        return result.Value;
    }

    [Fact]
    public void Kubernetes_keys_are_picked_out()
    {
        CniArgs args = Valid(
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=prod;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=4a7f;K8S_POD_UID=0b5c-11");

        Assert.True(args.IgnoreUnknown);
        Assert.Equal("prod", args.PodNamespace);
        Assert.Equal("web-0", args.PodName);
        Assert.Equal("4a7f", args.PodInfraContainerId);
        Assert.Equal("0b5c-11", args.PodUid);
    }

    [Fact]
    public void Every_pair_is_kept_including_unknown_keys()
    {
        CniArgs args = Valid("IP=10.0.0.9;FOO=bar");

        Assert.Equal("10.0.0.9", args.Pairs["IP"]);
        Assert.Equal("bar", args.Get("FOO"));
    }

    [Fact]
    public void Keys_are_case_sensitive()
    {
        CniArgs args = Valid("k8s_pod_name=web-0");

        Assert.Null(args.PodName);
        Assert.Equal("web-0", args.Get("k8s_pod_name"));
    }

    [Theory]
    [InlineData("IgnoreUnknown=1", true)]
    [InlineData("IgnoreUnknown=true", true)]
    [InlineData("IgnoreUnknown=TRUE", true)]
    [InlineData("IgnoreUnknown=0", false)]
    [InlineData("K8S_POD_NAME=x", false)]
    public void IgnoreUnknown_reads_1_or_true(string value, bool expected) => Assert.Equal(expected, Valid(value).IgnoreUnknown);

    [Fact]
    public void IP_lists_the_requested_addresses()
    {
        Assert.Equal(["10.0.0.9", "fd00::9"], Valid("IP=10.0.0.9,fd00::9").RequestedIps);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Absent_args_are_empty(string? value)
    {
        CniArgs args = Valid(value);

        Assert.Empty(args.Pairs);
        Assert.Empty(args.RequestedIps);
    }

    [Fact]
    public void A_value_may_contain_an_equals_sign() => Assert.Equal("a=b", Valid("X=a=b").Get("X"));

    [Fact]
    public void A_trailing_separator_is_tolerated() => Assert.Equal("web-0", Valid("K8S_POD_NAME=web-0;").PodName);

    [Fact]
    public void A_repeated_key_keeps_the_last_value() => Assert.Equal("b", Valid("K8S_POD_NAME=a;K8S_POD_NAME=b").PodName);

    [Theory]
    [InlineData("K8S_POD_NAME=web-0;garbage", "\"garbage\" has no '='")]
    [InlineData("=value", "empty key")]
    public void A_malformed_pair_is_error_4_showing_it(string value, string why)
    {
        CniParseResult<CniArgs> result = CniArgs.Parse(value);

        Assert.False(result.IsSuccess);
        Assert.Equal(CniErrorCode.InvalidEnvironment, result.Error.Code);
        Assert.Contains(why, result.Error.Msg, StringComparison.Ordinal);
        Assert.Contains("KEY=VALUE", result.Error.Msg, StringComparison.Ordinal);
    }
}
