using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Underpool.Plugin.Tests.Fuzz;

/// <summary>What every plugin call must leave behind, whatever it was given: an exit of its own (0 or 1, never a
/// signal, never a hang), nothing on stderr, and on stdout a CNI result for the verb or a CNI error object.</summary>
internal static class PluginExitCheck
{
    private static readonly HashSet<string> ErrorKeys = ["cniVersion", "code", "msg", "details"];
    private static readonly HashSet<string> Versions = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    /// <summary>What is wrong with the way the call ended, or null when nothing is.</summary>
    public static string? Problem(string verb, PluginExit exit)
    {
        if (exit.TimedOut)
        {
            return $"still running after {exit.Elapsed.TotalSeconds:0.0} s";
        }

        if (exit.ExitCode is not (0 or 1))
        {
            return exit.ExitCode > 128
                ? $"killed by signal {exit.ExitCode - 128}; stderr: {exit.Stderr}"
                : $"exit code {exit.ExitCode}; stderr: {exit.Stderr}";
        }

        if (exit.Stderr.Length > 0)
        {
            return $"wrote to stderr: {exit.Stderr}";
        }

        string stdout = Encoding.UTF8.GetString(exit.Stdout);
        if (stdout.Contains("   at ", StringComparison.Ordinal) || stdout.Contains("Unhandled exception", StringComparison.Ordinal))
        {
            return $"a stack trace on stdout: {stdout}";
        }

        if (!Utf8.IsValid(exit.Stdout))
        {
            return $"stdout is not UTF-8: {FuzzCase.Escape(exit.Stdout, 300)}";
        }

        return exit.ExitCode == 1 ? ErrorProblem(stdout) : SuccessProblem(verb, stdout);
    }

    private static string? ErrorProblem(string stdout)
    {
        if (Parse(stdout, out JsonElement error) is { } notJson)
        {
            return $"exit 1 without a CNI error object ({notJson}): {stdout}";
        }

        if (error.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !ErrorKeys.Contains(name)) is { } extra)
        {
            return $"the error object has a key '{extra}' the spec does not define: {stdout}";
        }

        if (!error.TryGetProperty("cniVersion", out JsonElement version) || !Versions.Contains(version.GetString() ?? ""))
        {
            return $"the error object has no supported cniVersion: {stdout}";
        }

        if (!error.TryGetProperty("code", out JsonElement code) || !code.TryGetInt32(out int number) || number is < 1 or > 999)
        {
            return $"the error object has no code from 1 to 999: {stdout}";
        }

        if (!error.TryGetProperty("msg", out JsonElement msg) || msg.GetString() is not { Length: > 0 } text || text.Contains('\n', StringComparison.Ordinal))
        {
            return $"the error object has no one-line msg: {stdout}";
        }

        // The last resort of PluginApp and the agent's 500: both are bugs some input found.
        return text.StartsWith("internal error", StringComparison.Ordinal) || text.Contains("hit an internal error", StringComparison.Ordinal)
            ? $"an internal error: {stdout}"
            : null;
    }

    private static string? SuccessProblem(string verb, string stdout)
    {
        switch (verb)
        {
            case "VERSION":
                return Parse(stdout, out JsonElement version) is { } notJson
                       || !version.TryGetProperty("supportedVersions", out JsonElement supported)
                       || supported.ValueKind != JsonValueKind.Array
                    ? $"VERSION succeeded without a version result: {stdout}"
                    : null;
            case "ADD":
                if (Parse(stdout, out JsonElement result) is { } notResult)
                {
                    return $"ADD succeeded without a result ({notResult}): {stdout}";
                }

                return result.TryGetProperty("ips", out JsonElement ips) && ips.ValueKind == JsonValueKind.Array && ips.GetArrayLength() > 0
                       && ips.EnumerateArray().All(ip => ip.TryGetProperty("address", out JsonElement a) && a.GetString()?.Contains('/') == true)
                    ? null
                    : $"ADD succeeded without addresses: {stdout}";
            default:
                return stdout.Length == 0 ? null : $"{verb} succeeded but printed something: {stdout}";
        }
    }

    private static string? Parse(string text, out JsonElement element)
    {
        element = default;
        try
        {
            using var document = JsonDocument.Parse(text);
            element = document.RootElement.Clone();
            return element.ValueKind == JsonValueKind.Object ? null : $"a JSON {element.ValueKind}, not an object";
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }
}
