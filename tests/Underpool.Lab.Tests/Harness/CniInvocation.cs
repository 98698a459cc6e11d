using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>How a plugin call ended: exit code, the parsed result or error object, and stderr.</summary>
public sealed record CniInvocation(CniRequest Request, ProcessResult Process, JsonElement? Result, CniPluginError? Error)
{
    public int ExitCode => Process.ExitCode;

    public bool Succeeded => Process.Succeeded;

    public string StandardOutput => Process.StandardOutput;

    public string StandardError => Process.StandardError;

    /// <summary>The <c>ips[].address</c> entries of the result (empty when there is none).</summary>
    public IReadOnlyList<InterfaceAddress> Addresses =>
        Result is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty("ips", out var ips)
            ? ips.EnumerateArray()
                .Select(ip => InterfaceAddress.Parse(ip.GetProperty("address").GetString() ?? string.Empty))
                .ToList()
            : [];

    /// <summary>Returns this invocation, or throws with the verb, error object and both outputs.</summary>
    public CniInvocation EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException(Describe());

    public string Describe() =>
        $"CNI {Request.Command.ToString().ToUpperInvariant()} on {Request.Node} " +
        $"(container {Request.ContainerId}, if {Request.IfName}): " +
        (Error is null ? string.Empty : $"error {Error}; ") + Process.Describe();

    internal static CniInvocation From(CniRequest request, ProcessResult process)
    {
        if (string.IsNullOrWhiteSpace(process.StandardOutput))
        {
            return new CniInvocation(request, process, null, null);
        }

        JsonElement output;
        try
        {
            using var document = JsonDocument.Parse(process.StandardOutput);
            output = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return new CniInvocation(request, process, null, null); // Raw stdout stays in Process.
        }

        return process.Succeeded
            ? new CniInvocation(request, process, output, null)
            : new CniInvocation(request, process, null, ParseError(output));
    }

    private static CniPluginError? ParseError(JsonElement output) =>
        output.ValueKind == JsonValueKind.Object && output.TryGetProperty("code", out var code) && code.TryGetInt32(out var value)
            ? new CniPluginError(
                value,
                output.TryGetProperty("msg", out var message) ? message.GetString() ?? string.Empty : string.Empty,
                output.TryGetProperty("details", out var details) ? details.GetString() : null)
            : null;
}
