namespace Underpool.Store.Embedded.Tests;

/// <summary>A directory path that belongs to one test and is removed after it, pass or fail.</summary>
internal sealed class TempDirectory : IDisposable
{
    /// <summary>The path; not created, so the store's own directory creation is exercised.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"upl-store-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
