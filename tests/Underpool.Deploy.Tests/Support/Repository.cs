namespace Underpool.Deploy.Tests.Support;

/// <summary>Where things are: the repository (found above the test assembly), its published programs ($UNDERPOOL_BIN,
/// else out/bin: scripts/build.sh) and its tools ($UNDERPOOL_TOOLS, else out/tools: scripts/install-tools.sh).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "deploy", "helm", "underpool");

    public static string Image => Path.Combine(Root, "deploy", "image");

    public static string Manifests => Path.Combine(Root, "deploy", "kubernetes");

    public static string Examples => Path.Combine(Manifests, "examples");

    public static string Bin => Environment.GetEnvironmentVariable("UNDERPOOL_BIN") ?? Path.Combine(Root, "out", "bin");

    public static string Tools => Environment.GetEnvironmentVariable("UNDERPOOL_TOOLS") ?? Path.Combine(Root, "out", "tools");

    /// <summary>A published program; a clear failure (not a skip) when the build has not run.</summary>
    public static string Program(string name) => Existing(Path.Combine(Bin, name), "run scripts/build.sh (scripts/test.sh builds first) or set UNDERPOOL_BIN");

    public static string Tool(string name) => Existing(Path.Combine(Tools, name), "run scripts/install-tools.sh (scripts/test.sh does) or set UNDERPOOL_TOOLS");

    private static string Existing(string path, string fix) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: {fix}", path);

    private static string FindRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Underpool.sln")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Underpool.sln above {AppContext.BaseDirectory}");
    }
}
