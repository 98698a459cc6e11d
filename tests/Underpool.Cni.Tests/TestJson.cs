using System.Text;
using System.Text.Json;

namespace Underpool.Cni.Tests;

/// <summary>Small helpers so tests assert on parsed JSON rather than on whole strings.</summary>
internal static class TestJson
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static CniParseResult<NetworkConfig> ParseConfig(string json) => NetworkConfig.Parse(Utf8(json));

    public static CniError ConfigError(string json)
    {
        CniParseResult<NetworkConfig> result = ParseConfig(json);
        Assert.False(result.IsSuccess, "expected the config to be rejected");
        return result.Error;
    }

    public static NetworkConfig Config(string json)
    {
        CniParseResult<NetworkConfig> result = ParseConfig(json);
        Assert.True(result.IsSuccess, result.Error?.Msg);
        return result.Value;
    }

    public static bool Has(JsonElement element, string name) => element.TryGetProperty(name, out _);
}
