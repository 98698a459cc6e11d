using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Underpool.Lab.Tests;

/// <summary>
/// The unique name prefix of one lab (<c>upl</c> + 6 hex + <c>-</c>), and the safety net that deletes what a
/// lab left behind. Only names that start with a prefix of exactly this pattern are ever deleted.
/// </summary>
public static partial class LabPrefix
{
    /// <summary>Where each live lab records its owner (pid and start time), so orphans can be told apart.</summary>
    public const string OwnerDirectory = "/run/underpool-lab";

    public static bool IsLabPrefix(string prefix) => Pattern().IsMatch(prefix);

    /// <summary>A fresh prefix such as <c>upl3fa09c-</c>, recorded as owned by this process.</summary>
    public static string Create()
    {
        var prefix = $"upl{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}-";
        Directory.CreateDirectory(OwnerDirectory);
        File.WriteAllText(OwnerFile(prefix), CurrentOwner());
        return prefix;
    }

    /// <summary>Deletes every namespace whose name starts with <paramref name="prefix"/>, then its owner record.</summary>
    public static async Task<IReadOnlyList<string>> DeleteNamespacesAsync(
        string prefix, CancellationToken cancellationToken = default)
    {
        if (!IsLabPrefix(prefix))
        {
            throw new ArgumentException($"'{prefix}' is not a lab prefix (upl + 6 hex + '-'); refusing to delete.", nameof(prefix));
        }

        var failures = new List<string>();
        foreach (var name in await IpRoute2.ListNamespacesAsync(cancellationToken))
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)
                && await IpRoute2.DeleteNamespaceAsync(name, cancellationToken) is { } failed)
            {
                failures.Add(failed.Describe());
            }
        }

        if (failures.Count == 0)
        {
            File.Delete(OwnerFile(prefix));
        }

        return failures;
    }

    /// <summary>
    /// Deletes the namespaces of labs whose owning process is gone (a killed test run). Labs without an owner
    /// record (a demo started from scripts/lab.sh) and labs of live processes are left alone.
    /// </summary>
    public static async Task DeleteOrphansAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(OwnerDirectory))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(OwnerDirectory))
        {
            var prefix = Path.GetFileName(file);
            if (IsLabPrefix(prefix) && !IsAlive(await ReadOwnerAsync(file, cancellationToken)))
            {
                await DeleteNamespacesAsync(prefix, cancellationToken);
            }
        }
    }

    private static string OwnerFile(string prefix) => Path.Combine(OwnerDirectory, prefix);

    private static string CurrentOwner() => $"{Environment.ProcessId} {StartTime(Environment.ProcessId)}";

    private static async Task<string> ReadOwnerAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }
        catch (FileNotFoundException)
        {
            return string.Empty; // Another run cleaned it up meanwhile.
        }
    }

    // A pid alone could have been reused; pid plus start time names one process.
    private static bool IsAlive(string owner)
    {
        var parts = owner.Split(' ');
        return parts.Length == 2 && int.TryParse(parts[0], out var pid) && StartTime(pid) == parts[1];
    }

    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 22 (starttime) counted after the ")" that ends the command name, which may hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[19];
        }
        catch (IOException)
        {
            return null;
        }
    }

    [GeneratedRegex("^upl[0-9a-f]{6}-$")]
    private static partial Regex Pattern();
}
