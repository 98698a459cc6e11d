using System.Text.Json;

namespace Underpool.Plugin.Tests;

/// <summary>What one plugin call left behind: its exit code, its stdout as text, and that text parsed (null when empty).</summary>
internal sealed record PluginOutcome(int ExitCode, string Stdout, JsonElement? Json)
{
    /// <summary>The printed JSON; fails the test when nothing was printed.</summary>
    public JsonElement Output
    {
        get
        {
            Assert.True(Json.HasValue, $"expected JSON on stdout, got \"{Stdout}\" (exit {ExitCode})");
            return Json.Value;
        }
    }

    /// <summary>The CNI error code of a failed call (exit 1 with an error object).</summary>
    public int ErrorCode
    {
        get
        {
            Assert.True(ExitCode == 1, $"expected exit 1 with a CNI error, got exit {ExitCode}: {Stdout}");
            return Output.GetProperty("code").GetInt32();
        }
    }

    public string Msg => Output.GetProperty("msg").GetString() ?? string.Empty;

    /// <summary>Asserts a successful call that printed nothing (DEL, CHECK, STATUS, GC).</summary>
    public void AssertSilentSuccess()
    {
        Assert.True(ExitCode == 0, $"expected exit 0, got {ExitCode}: {Stdout}");
        Assert.Equal(string.Empty, Stdout);
    }

    /// <summary>Asserts a successful call that printed JSON (ADD, VERSION) and returns it.</summary>
    public JsonElement AssertPrinted()
    {
        Assert.True(ExitCode == 0, $"expected exit 0, got {ExitCode}: {Stdout}");
        return Output;
    }
}
