using System.Text.Json;

namespace Underpool.Lab.Tests;

/// <summary>The few iproute2 commands the lab needs, each run with an argument list.</summary>
internal static class IpRoute2
{
    private static readonly Lazy<string> ResolvedProgram =
        new(() => LabPrerequisites.FindOnPath("ip") ?? "ip");

    public static string Program => ResolvedProgram.Value;

    public static Task<ProcessResult> TryRunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Program, arguments, cancellationToken: cancellationToken);

    public static async Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        (await TryRunAsync(arguments, cancellationToken)).EnsureSuccess();

    public static async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["-j", "netns", "list"], cancellationToken);
        // With no namespaces at all, `ip -j netns list` prints nothing rather than [].
        if (string.IsNullOrWhiteSpace(result.StandardOutput))
        {
            return [];
        }

        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.EnumerateArray()
            .Select(entry => entry.GetProperty("name").GetString() ?? string.Empty)
            .Where(name => name.Length > 0)
            .ToList();
    }

    /// <summary>
    /// Kills the processes still inside the namespace (the lab started them: nothing else runs in a lab
    /// namespace), then deletes it, which also deletes the links inside it. A missing namespace is fine.
    /// </summary>
    public static async Task<ProcessResult?> DeleteNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        if (!File.Exists($"/var/run/netns/{name}"))
        {
            return null;
        }

        var pids = await TryRunAsync(["netns", "pids", name], cancellationToken);
        foreach (var line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(line, out var pid))
            {
                KillProcess(pid);
            }
        }

        var deleted = await TryRunAsync(["netns", "delete", name], cancellationToken);
        return deleted.Succeeded || !File.Exists($"/var/run/netns/{name}") ? null : deleted;
    }

    /// <summary>The kernel's operational state of a link ("UP", "DOWN", "LOWERLAYERDOWN", ...).</summary>
    public static async Task<string> OperStateAsync(string @namespace, string link, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["-j", "-n", @namespace, "link", "show", "dev", link], cancellationToken);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement[0].GetProperty("operstate").GetString() ?? "UNKNOWN";
    }

    private static void KillProcess(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited while we looked.
        }
    }
}
