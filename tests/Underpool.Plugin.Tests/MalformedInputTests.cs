using System.Text;
using System.Text.Json;
using Underpool.Cni;

namespace Underpool.Plugin.Tests;

/// <summary>Input nobody should send, for every verb: the plugin answers with a CNI error object and exit 1 (VERSION
/// with its version list), never with an exception (which, in the published plugin, is an abort and a stack trace).</summary>
public sealed class MalformedInputTests : AgentTest
{
    public static TheoryData<string, string> UndecodableByVerb()
    {
        var data = new TheoryData<string, string>();
        foreach (string verb in new[] { "ADD", "DEL", "CHECK", "STATUS", "GC" })
        {
            data.Add(verb, "not utf-8");
            data.Add(verb, "lone surrogate");
            data.Add(verb, "lone surrogate in a key");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UndecodableByVerb))]
    public async Task A_config_that_cannot_be_decoded_is_error_6_for_every_verb_and_allocates_nothing(string verb, string damage)
    {
        await Agent.CreatePoolAsync(Testing.PoolDefinitions.V4(isDefault: true));

        PluginOutcome outcome = await PluginRunner.RunRawAsync(PluginRunner.Environment(verb), Undecodable(damage));

        Assert.Equal(6, outcome.ErrorCode);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Theory]
    [InlineData("not utf-8 in the version")]
    [InlineData("lone surrogate in the version")]
    [InlineData("lone surrogate in the only key")]
    public async Task A_version_request_that_cannot_be_decoded_is_answered_with_the_supported_versions(string damage)
    {
        PluginOutcome outcome = await PluginRunner.RunRawAsync(PluginRunner.Environment("VERSION"), UndecodableVersion(damage));

        Assert.Equal(CniVersion.Latest, outcome.AssertPrinted().GetProperty("cniVersion").GetString());
        Assert.Equal(JsonValueKind.Array, outcome.AssertPrinted().GetProperty("supportedVersions").ValueKind);
    }

    [Theory]
    [InlineData("not utf-8 in the version")]
    [InlineData("lone surrogate in the version")]
    [InlineData("lone surrogate in the only key")]
    public async Task Bad_environment_with_an_undecodable_config_is_error_4_not_a_crash(string damage)
    {
        // The environment error is printed in the config's version, so the config is read even then.
        Dictionary<string, string?> environment = PluginRunner.Environment("ADD", containerId: "bad/id");

        PluginOutcome outcome = await PluginRunner.RunRawAsync(environment, UndecodableVersion(damage));

        Assert.Equal(4, outcome.ErrorCode);
    }

    [Fact]
    public void An_exception_nobody_foresaw_is_one_line_internal_error_object_with_exit_1()
    {
        using var stdin = new ThrowingStream();
        using var stdout = new MemoryStream();

        int exitCode = PluginApp.Run(PluginRunner.Environment("ADD"), stdin, stdout);

        Assert.Equal(1, exitCode);
        using var error = JsonDocument.Parse(stdout.ToArray());
        Assert.Equal(7, error.RootElement.GetProperty("code").GetInt32());
        string msg = error.RootElement.GetProperty("msg").GetString() ?? "";
        Assert.StartsWith("internal error: NotSupportedException: the test's stdin broke; please report it", msg, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", msg, StringComparison.Ordinal);
    }

    private static byte[] Undecodable(string damage) => damage switch
    {
        "not utf-8" => [.. Encoding.UTF8.GetBytes("{\"cniVersion\":\"1.0.0\",\"name\":\"n"), 0xff, .. Encoding.UTF8.GetBytes("\"}")],
        "lone surrogate" => Encoding.UTF8.GetBytes("{\"cniVersion\":\"1.0.0\",\"name\":\"\\ud800\"}"),
        // After the keys the plugin looks up: a lookup that reaches the bad key is what threw.
        _ => Encoding.UTF8.GetBytes("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"\\udc00\":1}"),
    };

    // What VERSION (and an environment error) reads of the config: only the version.
    private static byte[] UndecodableVersion(string damage) => damage switch
    {
        "not utf-8 in the version" => [.. Encoding.UTF8.GetBytes("{\"cniVersion\":\"1.0.0"), 0xff, .. Encoding.UTF8.GetBytes("\"}")],
        "lone surrogate in the version" => Encoding.UTF8.GetBytes("{\"cniVersion\":\"\\ud800\"}"),
        // At least as long as "cniVersion" once unescaped, so looking that key up has to decode this one.
        _ => Encoding.UTF8.GetBytes("{\"\\ud800-the-version\":\"1.0.0\"}"),
    };

    /// <summary>Fails to be read with an exception the plugin has no reason to expect.</summary>
    private sealed class ThrowingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the test's stdin\nbroke");

        public override int Read(Span<byte> buffer) => throw new NotSupportedException("the test's stdin\nbroke");

        public override void CopyTo(Stream destination, int bufferSize) => throw new NotSupportedException("the test's stdin\nbroke");
    }
}
