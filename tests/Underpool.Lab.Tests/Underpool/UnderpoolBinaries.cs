using Underpool.Testing;

namespace Underpool.Lab.Tests;

/// <summary>Where the published programs are (see <see cref="PublishedPrograms"/>); a lab without them is unavailable.</summary>
internal static class UnderpoolBinaries
{
    public static string Directory { get; } = PublishedPrograms.Locate(out string? problem) ?? throw new LabUnavailableException(problem!);

    public static string Plugin => Path.Combine(Directory, "underpool");

    public static string Agent => Path.Combine(Directory, "underpoold");

    public static string Ctl => Path.Combine(Directory, "underpoolctl");

    public static string RepositoryRoot() =>
        PublishedPrograms.FindRepositoryRoot()
        ?? throw new LabUnavailableException($"cannot find the repository root above {AppContext.BaseDirectory}; set UNDERPOOL_BIN");
}
