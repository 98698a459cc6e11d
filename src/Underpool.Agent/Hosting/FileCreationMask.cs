using System.Runtime.InteropServices;

namespace Underpool.Agent.Hosting;

/// <summary>The process umask: the agent's files (socket, store) are its own and nobody else's.</summary>
public static partial class FileCreationMask
{
    /// <summary>Sets umask 077 for the whole process. Kestrel creates the socket with the umask's mode and the agent
    /// narrows it to 0600 only afterwards; under a permissive umask another user could connect in between.</summary>
    public static void RestrictToOwner()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SetMask(0x3F); // 077
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint SetMask(uint mask);
}
