using System.Runtime.InteropServices;

namespace Underpool.Agent.Hosting;

/// <summary>What is at the path the agent is told to listen on, before it replaces anything there.</summary>
internal static partial class SocketFile
{
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800; // O_NONBLOCK on Linux x86-64 and arm64: a FIFO must not block the open.
    private const int OpenCloseOnExec = 0x80000;
    private const int NoSuchDeviceOrAddress = 6; // ENXIO: what open(2) says of a unix socket file.

    /// <summary>True only for a unix socket file. Anything else (a regular file such as the store's database, a
    /// FIFO, a device) opens, and must never be deleted to make room for the agent's socket.</summary>
    /// <remarks>.NET offers no file-type test; open(2) failing with ENXIO is the one answer only a socket gives,
    /// and it reads the same on every architecture, unlike struct stat's layout.</remarks>
    public static bool IsSocket(string path)
    {
        int descriptor = Open(path, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
        if (descriptor >= 0)
        {
            _ = Close(descriptor);
            return false;
        }

        return Marshal.GetLastPInvokeError() == NoSuchDeviceOrAddress;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
