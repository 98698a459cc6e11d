using System.Text.Json;

namespace Underpool.Cni.Tests;

public sealed class CniErrorTests
{
    [Fact]
    public void Serialize_WithDetails_PrintsTheSpecShape()
    {
        var error = new CniError(CniErrorCode.PoolExhausted, "pool \"a\" is full", "256 of 256 used");

        JsonElement json = TestJson.Parse(error.Serialize("1.0.0"));

        Assert.Equal("1.0.0", json.GetProperty("cniVersion").GetString());
        Assert.Equal(100, json.GetProperty("code").GetInt32());
        Assert.Equal("pool \"a\" is full", json.GetProperty("msg").GetString());
        Assert.Equal("256 of 256 used", json.GetProperty("details").GetString());
    }

    [Fact]
    public void Serialize_WithoutDetails_OmitsTheField()
    {
        JsonElement json = TestJson.Parse(new CniError(CniErrorCode.IoFailure, "boom").Serialize("1.1.0"));

        Assert.False(TestJson.Has(json, "details"));
    }

    [Fact]
    public void Serialize_KeepsQuotesReadable()
    {
        // The runtime shows msg to people; \u0022 instead of a quote would make it harder to read in raw logs.
        string text = new CniError(CniErrorCode.InvalidNetworkConfig, "name \"x y\"").Serialize("1.1.0");

        Assert.Contains("\\\"x y\\\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_quoting_a_newline_or_control_character_is_printed_on_one_line()
    {
        // Runtimes log msg as a line; a value quoted in it (a name, a path) may hold anything the runtime was given.
        JsonElement json = TestJson.Parse(new CniError(CniErrorCode.InvalidNetworkConfig, "socket \"a\nb\u0001\" is bad").Serialize("1.1.0"));

        Assert.Equal("socket \"a\\nb\\u0001\" is bad", json.GetProperty("msg").GetString());
    }

    [Fact]
    public void WriteTo_WritesTheSameJsonAsSerialize()
    {
        var error = new CniError(CniErrorCode.AgentError, "agent unreachable");
        using var stream = new MemoryStream();

        error.WriteTo(stream, "0.4.0");

        Assert.Equal(error.Serialize("0.4.0"), System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Error_codes_match_the_spec()
    {
        Assert.Equal(
            [1, 2, 3, 4, 5, 6, 7, 11, 50, 51],
            [
                CniErrorCode.IncompatibleVersion, CniErrorCode.UnsupportedField, CniErrorCode.UnknownContainer,
                CniErrorCode.InvalidEnvironment, CniErrorCode.IoFailure, CniErrorCode.DecodeFailure,
                CniErrorCode.InvalidNetworkConfig, CniErrorCode.TryAgainLater, CniErrorCode.NotAvailable,
                CniErrorCode.NotAvailableDoNotRetry,
            ]);
    }
}
