using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Underpool.Agent.Hosting;

/// <summary>What a path is, who owns it and which inode it names: what .NET's file APIs do not tell (type beyond
/// file/directory, owner, inode).</summary>
/// <param name="Device">The file system's device number (major in the high 32 bits): with <paramref name="Inode"/>, the
/// file's identity.</param>
internal readonly partial record struct FileStatus(FileKind Kind, int Mode, int Owner, ulong Device, ulong Inode)
{
    private const int CurrentDirectory = -100;      // AT_FDCWD
    private const int NoFollow = 0x100;              // AT_SYMLINK_NOFOLLOW
    private const uint Wanted = 0x1 | 0x2 | 0x8 | 0x100; // STATX_TYPE | STATX_MODE | STATX_UID | STATX_INO
    private const int NoSuchFile = 2;                // ENOENT
    private const int NotADirectory = 20;            // ENOTDIR

    /// <summary>The permission bits, sticky bit included (mode &amp; 07777).</summary>
    public int Permissions => Mode & 0xFFF;

    /// <summary>Written as ls does: 0755, 1777.</summary>
    public string OctalPermissions => Convert.ToString(Permissions, 8).PadLeft(4, '0');

    /// <summary>The status of <paramref name="path"/> (of the link itself when <paramref name="followLinks"/> is false);
    /// null when nothing is there. Other failures (permission denied) throw.</summary>
    /// <remarks>statx(2), not stat(2): struct statx has one layout on every Linux architecture, where struct stat's
    /// differs between x86-64 and arm64.</remarks>
    public static FileStatus? Of(string path, bool followLinks = true)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(CurrentDirectory, path, followLinks ? 0 : NoFollow, Wanted, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error is NoSuchFile or NotADirectory
                ? null
                : throw new IOException($"cannot read the status of {path}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        // struct statx: stx_uid at 20, stx_mode (16 bits) at 28, stx_ino at 32, stx_dev_major/minor at 136/140.
        int mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        ulong device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]);
        return new FileStatus(
            KindOf(mode), mode, (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer[20..]), device, BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]));
    }

    /// <summary>The effective user id of this process.</summary>
    public static int EffectiveUser => (int)GetEffectiveUserId();

    /// <summary>"a socket owned by uid 0, mode 0600": what a log line says was found at a path.</summary>
    public string Describe() => $"{Article(Kind)} owned by uid {Owner}, mode {OctalPermissions}, inode {Inode}";

    /// <summary>The same file: same device and inode.</summary>
    public bool IsSameFile(FileStatus other) => Device == other.Device && Inode == other.Inode;

    private static FileKind KindOf(int mode) => (mode & 0xF000) switch
    {
        0xC000 => FileKind.Socket,
        0xA000 => FileKind.SymbolicLink,
        0x8000 => FileKind.RegularFile,
        0x4000 => FileKind.Directory,
        0x1000 => FileKind.Fifo,
        _ => FileKind.Device,
    };

    private static string Article(FileKind kind) => kind switch
    {
        FileKind.RegularFile => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Socket => "a socket",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO",
        _ => "a device",
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}

/// <summary>The file types <see cref="FileStatus"/> tells apart.</summary>
internal enum FileKind
{
    RegularFile,
    Directory,
    Socket,
    SymbolicLink,
    Fifo,
    Device,
}
