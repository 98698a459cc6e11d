using System.Diagnostics;

namespace Underpool.Testing;

/// <summary>A small real file system for one test: a tmpfs of a given size mounted on a fresh directory (the suite runs
/// as root), unmounted and removed after it, pass or fail.</summary>
public sealed class TmpfsVolume : IDisposable
{
    private readonly TempDir _mountPoint = new();
    private int _fillers;

    private TmpfsVolume()
    {
    }

    /// <summary>The mounted directory.</summary>
    public string Path => _mountPoint.Path;

    /// <param name="readOnly">Mount it read-only: a directory nothing can be written to, even by root.</param>
    public static TmpfsVolume Mount(string size, bool readOnly = false)
    {
        var volume = new TmpfsVolume();
        try
        {
            Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700{(readOnly ? ",ro" : string.Empty)}", "tmpfs", volume.Path);
            return volume;
        }
        catch
        {
            volume._mountPoint.Dispose();
            throw;
        }
    }

    /// <summary>Writes a file until the volume has no space left; returns its path (delete it to free the space).</summary>
    public string Fill()
    {
        string filler = System.IO.Path.Combine(Path, $"filler-{++_fillers}");
        byte[] block = new byte[4096];
        using var file = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }

        return filler;
    }

    public void Dispose()
    {
        try
        {
            Run("umount", "--lazy", Path);
        }
        finally
        {
            _mountPoint.Dispose();
        }
    }

    private static void Run(string tool, params string[] args)
    {
        using Process process = Process.Start(tool, args) ?? throw new InvalidOperationException($"{tool} did not start");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode} (the tests run as root)");
        }
    }
}
