namespace Underpool.Testing;

/// <summary>Where scripts/build.sh published the programs: $UNDERPOOL_BIN, else out/bin of the repository. Tests that
/// exec the real programs (the NativeAOT plugin above all, which behaves unlike the in-process one when it crashes)
/// find them here.</summary>
public static class PublishedPrograms
{
    private static readonly string[] Programs = ["underpool", "underpoold", "underpoolctl"];

    /// <summary>The directory holding all three programs; null with the reason (and what to do) when it does not.</summary>
    public static string? Locate(out string? problem)
    {
        problem = null;
        string? configured = Environment.GetEnvironmentVariable("UNDERPOOL_BIN");
        string? dir = configured;
        if (dir is null)
        {
            if (FindRepositoryRoot() is not { } root)
            {
                problem = $"cannot find the repository root above {AppContext.BaseDirectory}; set UNDERPOOL_BIN";
                return null;
            }

            dir = Path.Combine(root, "out", "bin");
        }

        foreach (string program in Programs)
        {
            if (!File.Exists(Path.Combine(dir, program)))
            {
                problem = $"'{program}' is not in {dir}: these tests run the published programs. "
                          + "Run scripts/build.sh (or scripts/test.sh, which builds first), or set UNDERPOOL_BIN.";
                return null;
            }
        }

        return dir;
    }

    /// <summary>The checkout this test assembly was built from (the folder holding Underpool.sln), or null.</summary>
    public static string? FindRepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Underpool.sln")))
            {
                return d.FullName;
            }
        }

        return null;
    }
}
