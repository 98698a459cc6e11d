namespace Underpool.Lab.Tests;

/// <summary>A fresh directory under /tmp, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    public string Path { get; }

    public static TempDirectory Create(string purpose) =>
        new(Directory.CreateTempSubdirectory($"underpool-{purpose}-").FullName);

    /// <summary>A subdirectory path (not created: host-local and SQLite create their own).</summary>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
