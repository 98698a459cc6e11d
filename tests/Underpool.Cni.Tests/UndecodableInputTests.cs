using System.Text;

namespace Underpool.Cni.Tests;

/// <summary>Input that is JSON to System.Text.Json's parser but cannot be turned into strings (bytes that are not
/// UTF-8, half of a UTF-16 surrogate pair): read later, it threw InvalidOperationException and aborted the plugin.</summary>
public sealed class UndecodableInputTests
{
    public static TheoryData<string, byte[]> NotUtf8 => new()
    {
        { "in the name", Bytes("""{"cniVersion":"1.0.0","name":"n""", [0xff], "\"}") },
        { "in a key", Bytes("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"", [0xc0, 0x80], "\":1}") },
        { "in the version", Bytes("""{"cniVersion":"1.0""", [0xed, 0xa0, 0x80], "\",\"name\":\"n\"}") },
        { "in a pool name", Bytes("""{"cniVersion":"1.0.0","name":"n","ipam":{"pools":{"ipv4":["a""", [0xe2, 0x82], "\"]}}}") },
    };

    public static TheoryData<string, string> LoneSurrogates => new()
    {
        { """{"cniVersion":"1.0.0","name":"\ud800"}""", "name" },
        { """{"cniVersion":"1.0.0","name":"n","ipam":{"pools":{"ipv4":["\udfff"]}}}""", "ipam.pools.ipv4[0]" },
        { """{"cniVersion":"1.0.0","name":"n","args":{"x":["a\ud800\u0041"]}}""", "args.x[0]" },
        { """{"cniVersion":"1.0.0","name":"n","\udc00":1}""", "a key of the top-level object" },
        { """{"\ud800":"1.0.0"}""", "a key of the top-level object" },
        { """{"cniVersion":"1.0.0","name":"n","prevResult":{"ips":[{"\ud800x":1}]}}""", "a key of prevResult.ips[0]" },
    };

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public void A_config_that_is_not_utf8_is_error_6_saying_where(string where, byte[] stdin)
    {
        CniParseResult<NetworkConfig> result = NetworkConfig.Parse(stdin);

        Assert.False(result.IsSuccess, where);
        Assert.Equal(CniErrorCode.DecodeFailure, result.Error.Code);
        Assert.Contains("is not UTF-8 text at line 1, column", result.Error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void The_position_of_a_byte_that_is_not_utf8_counts_lines_and_columns_from_1()
    {
        byte[] stdin = Bytes("{\n  \"name\": \"ab", [0xff], "\"\n}");

        CniError error = NetworkConfig.Parse(stdin).Error!;

        Assert.Contains("at line 2, column 14 (byte 0xFF)", error.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void A_lone_surrogate_escape_is_error_6_naming_the_field(string json, string path)
    {
        CniParseResult<NetworkConfig> result = NetworkConfig.Parse(Encoding.UTF8.GetBytes(json));

        Assert.False(result.IsSuccess);
        Assert.Equal(CniErrorCode.DecodeFailure, result.Error.Code);
        Assert.Contains($"cannot be decoded: {path} holds", result.Error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_written_as_two_escapes_is_read()
    {
        NetworkConfig config = TestJson.Config("""{"cniVersion":"1.0.0","name":"n","type":"\ud83d\udca5"}""");

        Assert.Equal("\U0001F4A5", config.Type);
    }

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void A_version_request_with_a_lone_surrogate_is_answered_in_the_latest_version(string json, string path)
    {
        Assert.NotEmpty(path);

        Assert.Equal(CniVersion.Latest, VersionResult.ForRequest(Encoding.UTF8.GetBytes(json)).CniVersion);
    }

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public void A_version_request_that_is_not_utf8_is_answered_in_the_latest_version(string where, byte[] stdin)
    {
        Assert.Equal(CniVersion.Latest, VersionResult.ForRequest(stdin).CniVersion);
        Assert.NotEmpty(where);
    }

    private static byte[] Bytes(string before, byte[] bad, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
}
