using Underpool.Core.Net;

namespace Underpool.Cli.Import;

/// <summary>host-local's state for one network on one node, as an import.</summary>
/// <remarks>
/// The reference plugin (containernetworking/plugins, plugins/ipam/host-local/backend/disk) keeps
/// <c>&lt;dataDir&gt;/&lt;network name&gt;/</c> (dataDir defaults to /var/lib/cni/networks): one file per address,
/// named by the address as Go prints it (on Windows with ':' written '_'), holding the container id and, since
/// interface names were added, "\r\n" and the interface; <c>last_reserved_ip.&lt;range index&gt;</c>, where its
/// round robin continues; and <c>lock</c>. A container with addresses from several ranges (dual-stack) has one file
/// per address, gathered here into one attachment. Files host-local did not write are ignored, as it ignores them.
/// </remarks>
internal static class HostLocalReader
{
    private const string LastReservedPrefix = "last_reserved_ip.";
    private const string LockFile = "lock";

    /// <param name="dataDirectory">host-local's dataDir (the parent of the network's directory).</param>
    /// <param name="pool">The pool to file every address in, or null for the one that hands it out.</param>
    /// <param name="ifName">The interface of files that name none (written by host-local before it recorded them).</param>
    public static ImportInput Read(string dataDirectory, string network, string node, string? pool, string? ifName, InputErrors errors)
    {
        string directory = Path.Combine(dataDirectory, network);
        if (!Directory.Exists(directory))
        {
            errors.Add($"{directory} does not exist: host-local keeps network '{network}' in DATA-DIR/{network}/ (DATA-DIR is the netconf's ipam.dataDir, by default /var/lib/cni/networks)");
            return new ImportInput([], [], []);
        }

        var claims = new List<Claim>();
        var ignored = new List<string>();
        foreach (string file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (name == LockFile || name.StartsWith(LastReservedPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!IpAddress.TryParse(name.Replace('_', ':'), out IpAddress address))
            {
                ignored.Add(name);
                continue;
            }

            if (ClaimOf(file, address, node, pool, ifName, errors) is { } claim)
            {
                claims.Add(claim);
            }
        }

        List<string> warnings = ignored.Count == 0
            ? []
            : [$"ignored {ignored.Count} file(s) in {directory} that host-local did not write: {string.Join(", ", ignored.Take(5))}"];
        return new ImportInput(Claim.Gather(claims), [], warnings);
    }

    private static Claim? ClaimOf(string file, IpAddress address, string node, string? pool, string? fallbackIfName, InputErrors errors)
    {
        string[] lines = File.ReadAllText(file).Split('\n').Select(l => l.Trim()).ToArray();
        string container = lines[0];
        if (container.Length == 0)
        {
            errors.Add($"{file}: holds no container id");
            return null;
        }

        string? ifName = lines.Length > 1 && lines[1].Length > 0 ? lines[1] : fallbackIfName;
        if (ifName is null)
        {
            errors.Add($"{file}: names no interface (written by an older host-local); give the containers' interface with --ifname");
            return null;
        }

        return new Claim(container, PodUid: null, ifName, address.ToString(), pool, node, PodNamespace: null, PodName: null, Origin: file);
    }
}
