namespace Underpool.Lab.Tests;

/// <summary>Where the published programs are: $UNDERPOOL_BIN, else out/bin of the repository (scripts/build.sh).</summary>
internal static class UnderpoolBinaries
{
    public static string Directory { get; } = Find();

    public static string Plugin => Path.Combine(Directory, "underpool");

    public static string Agent => Path.Combine(Directory, "underpoold");

    public static string Ctl => Path.Combine(Directory, "underpoolctl");

    private static string Find()
    {
        string? configured = Environment.GetEnvironmentVariable("UNDERPOOL_BIN");
        string dir = configured ?? Path.Combine(RepositoryRoot(), "out", "bin");
        foreach (string program in new[] { "underpool", "underpoold", "underpoolctl" })
        {
            if (!File.Exists(Path.Combine(dir, program)))
            {
                throw new LabUnavailableException(
                    $"'{program}' is not in {dir}: the end-to-end tests run the published programs. "
                    + "Run scripts/build.sh (or scripts/test.sh, which builds first), or set UNDERPOOL_BIN.");
            }
        }

        return dir;
    }

    public static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Underpool.sln")))
            {
                return d.FullName;
            }
        }

        throw new LabUnavailableException($"cannot find the repository root above {AppContext.BaseDirectory}; set UNDERPOOL_BIN");
    }
}
