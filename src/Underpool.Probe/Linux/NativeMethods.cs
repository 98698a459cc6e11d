using System.Runtime.InteropServices;

namespace Underpool.Probe.Linux;

/// <summary>The libc calls .NET has no API for.</summary>
internal static partial class NativeMethods
{
    public const int CloneNewNet = 0x4000_0000;
    public const uint SiocGetInterfaceIndex = 0x8933;
    public const uint SiocGetHardwareAddress = 0x8927;

    /// <summary>struct ifreq: a 16-byte name, then a 24-byte union (ifindex or a sockaddr).</summary>
    public const int InterfaceRequestSize = 40;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNamespace(int fd, int namespaceType);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int InterfaceControl(int fd, nuint request, [In, Out] byte[] interfaceRequest);
}
