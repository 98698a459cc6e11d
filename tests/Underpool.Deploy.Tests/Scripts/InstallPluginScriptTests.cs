using System.Security.Cryptography;
using Underpool.Deploy.Tests.Support;
using Underpool.Testing;

namespace Underpool.Deploy.Tests.Scripts;

/// <summary>deploy/image/install-plugin.sh, the init container's copy of the plugin into the host's CNI bin
/// directory, run for real against a temporary directory.</summary>
public sealed class InstallPluginScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(Repository.Image, "install-plugin.sh");
    private readonly TempDir _dir = new();

    private string BinDir => Directory.CreateDirectory(Path.Combine(_dir.Path, "opt-cni-bin")).FullName;

    private string Target => Path.Combine(BinDir, "underpool");

    [Fact]
    public async Task It_installs_the_plugin_byte_for_byte_with_mode_0755_and_leaves_no_temporary_file()
    {
        string plugin = Repository.Program("underpool");

        Ran ran = (await InstallAsync(plugin)).EnsureSuccess();

        Assert.Equal(await File.ReadAllBytesAsync(plugin), await File.ReadAllBytesAsync(Target));
        Assert.Equal(Mode0755, File.GetUnixFileMode(Target));
        Assert.Equal(["underpool"], Directory.GetFileSystemEntries(BinDir).Select(Path.GetFileName));
        Assert.Contains("installed", ran.Output, StringComparison.Ordinal);
        // The installed file is the plugin, and runs.
        Ran version = await Run.ProgramAsync(Target, [], new Dictionary<string, string?> { ["CNI_COMMAND"] = "VERSION" });
        Assert.Contains("supportedVersions", version.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_again_on_an_identical_file_it_leaves_the_file_as_it_is()
    {
        string plugin = Repository.Program("underpool");
        (await InstallAsync(plugin)).EnsureSuccess();
        string inode = await InodeAsync(Target);
        DateTime written = File.GetLastWriteTimeUtc(Target);

        Ran again = (await InstallAsync(plugin)).EnsureSuccess();

        Assert.Contains("up to date", again.Output, StringComparison.Ordinal);
        Assert.Equal(inode, await InodeAsync(Target));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Target));
    }

    [Fact]
    public async Task An_older_plugin_or_a_wrong_mode_is_replaced_by_a_rename_not_rewritten_in_place()
    {
        string plugin = Repository.Program("underpool");
        await File.WriteAllTextAsync(Target, "#!/bin/sh\necho old plugin\n");
        File.SetUnixFileMode(Target, Mode0755);
        string oldInode = await InodeAsync(Target);

        (await InstallAsync(plugin)).EnsureSuccess();

        // A new inode: a runtime executing the old file keeps running it; nothing wrote into it (ETXTBSY).
        Assert.NotEqual(oldInode, await InodeAsync(Target));
        Assert.Equal(await File.ReadAllBytesAsync(plugin), await File.ReadAllBytesAsync(Target));

        File.SetUnixFileMode(Target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await InstallAsync(plugin)).EnsureSuccess();
        Assert.Equal(Mode0755, File.GetUnixFileMode(Target));
    }

    [Fact]
    public async Task A_reader_during_the_copy_sees_the_old_file_or_the_new_one_never_a_part()
    {
        // A large source (16 MiB) so that the copy takes long enough for many reads to land while it runs.
        string source = Path.Combine(_dir.Path, "new-plugin");
        byte[] fresh = RandomNumberGenerator.GetBytes(16 << 20);
        await File.WriteAllBytesAsync(source, fresh);
        byte[] old = RandomNumberGenerator.GetBytes(1 << 20);
        await File.WriteAllBytesAsync(Target, old);
        var reads = new TargetReader(Target, SHA256.HashData(old), SHA256.HashData(fresh));
        using var stop = new CancellationTokenSource();
        Task reading = Task.Run(() => reads.Loop(stop.Token));

        await Condition.WaitUntilAsync(_ => Task.FromResult(reads.Old > 0), TimeSpan.FromSeconds(10), "the reader to read the old file");
        (await InstallAsync(source)).EnsureSuccess();
        await Condition.WaitUntilAsync(_ => Task.FromResult(reads.New > 0), TimeSpan.FromSeconds(10), "the reader to read the new file");
        await stop.CancelAsync();
        await reading;

        Assert.True(reads.Torn.IsEmpty, $"{reads.Torn.Count} reads saw a partial file (sizes {string.Join(", ", reads.Torn.Take(5))})");
    }

    [Theory]
    [InlineData("no arguments", new string[0], 2, "usage")]
    [InlineData("a missing source", new[] { "/nonexistent/underpool", "BIN" }, 1, "does not exist")]
    [InlineData("a missing target directory", new[] { "SRC", "/nonexistent/bin" }, 1, "is not a directory")]
    public async Task Bad_arguments_fail_with_a_message_and_change_nothing(string what, string[] args, int code, string message)
    {
        string[] resolved = args.Select(a => a switch { "BIN" => BinDir, "SRC" => Repository.Program("underpool"), _ => a }).ToArray();

        Ran ran = await Run.ProgramAsync("/bin/sh", [Script, .. resolved]);

        Assert.True(ran.ExitCode == code, $"{what}: {ran.Describe()}");
        Assert.Contains(message, ran.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(BinDir));
    }

    public void Dispose() => _dir.Dispose();

    private static UnixFileMode Mode0755 =>
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private Task<Ran> InstallAsync(string source) => Run.ProgramAsync("/bin/sh", [Script, source, BinDir]);

    private static async Task<string> InodeAsync(string path) => (await Run.ProgramAsync("stat", ["-c", "%i", path])).EnsureSuccess().Output.Trim();

    /// <summary>Reads the target over and over, counting whole old and whole new contents, and keeping anything else.</summary>
    private sealed class TargetReader(string path, byte[] oldHash, byte[] newHash)
    {
        private int _old;
        private int _new;

        public int Old => Volatile.Read(ref _old);

        public int New => Volatile.Read(ref _new);

        public System.Collections.Concurrent.ConcurrentBag<int> Torn { get; } = [];

        public void Loop(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                byte[] read = File.ReadAllBytes(path);
                byte[] hash = SHA256.HashData(read);
                if (hash.AsSpan().SequenceEqual(oldHash))
                {
                    Interlocked.Increment(ref _old);
                }
                else if (hash.AsSpan().SequenceEqual(newHash))
                {
                    Interlocked.Increment(ref _new);
                }
                else
                {
                    Torn.Add(read.Length);
                }
            }
        }
    }
}
