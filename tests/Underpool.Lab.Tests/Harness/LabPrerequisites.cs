namespace Underpool.Lab.Tests;

/// <summary>Fails loudly, naming the Debian package to install, when the lab cannot run here.</summary>
public static class LabPrerequisites
{
    /// <summary>Where Debian's containernetworking-plugins puts the reference plugins.</summary>
    public const string DebianCniDirectory = "/usr/lib/cni";

    private const string InstallHint = "the project's test script installs it; by hand: apt-get install";

    /// <summary>Root plus iproute2: everything needed to build the switch, nodes and pod namespaces.</summary>
    public static void EnsureLab()
    {
        EnsureRoot();
        EnsureProgram("ip", "iproute2");
    }

    public static void EnsureRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new LabUnavailableException(
                "The lab creates network namespaces and must run as root (e.g. sudo dotnet test).");
        }
    }

    public static void EnsureProgram(string program, string debianPackage)
    {
        if (FindOnPath(program) is null)
        {
            throw new LabUnavailableException(
                $"'{program}' is not on PATH; {InstallHint} {debianPackage}.");
        }
    }

    public static void EnsureCniPlugin(string plugin, string directory = DebianCniDirectory)
    {
        if (!File.Exists(Path.Combine(directory, plugin)))
        {
            throw new LabUnavailableException(
                $"CNI plugin '{plugin}' is missing from {directory}; {InstallHint} containernetworking-plugins.");
        }
    }

    /// <summary>The full path of a program on PATH, or in the sbin folders a non-login root PATH may lack.</summary>
    public static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }
}
