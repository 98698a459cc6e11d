using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Underpool.Probe.Wire;

namespace Underpool.Probe.Linux;

/// <summary>A raw AF_PACKET socket bound to one interface and one EtherType, with the interface's MAC.</summary>
/// <remarks>It also receives the frames it sends (filter by MAC). Created in whatever namespace the creating thread
/// is in and stays there.</remarks>
internal sealed class PacketSocket : IDisposable
{
    private PacketSocket(Socket socket, MacAddress mac)
    {
        Socket = socket;
        Mac = mac;
    }

    public Socket Socket { get; }

    public MacAddress Mac { get; }

    /// <summary>Opens and binds the socket in the calling thread's namespace; no awaiting, so it may run inside setns.</summary>
    public static PacketSocket Open(string interfaceName, ushort etherType)
    {
        // Protocol 0: the socket receives nothing until bind names the EtherType. Created with the EtherType, it would
        // be hooked at once and bind would unhook it first, waiting out an RCU grace period (synchronize_net, ~25 ms).
        var socket = new Socket(AddressFamily.Packet, SocketType.Raw, ProtocolType.Unspecified);
        try
        {
            // ioctls on a socket act in the socket's namespace (/sys would show the root namespace's interfaces).
            byte[] request = InterfaceRequest(interfaceName);
            Control(socket, NativeMethods.SiocGetInterfaceIndex, request, interfaceName);
            int index = BitConverter.ToInt32(request, 16);
            Control(socket, NativeMethods.SiocGetHardwareAddress, request, interfaceName);
            var mac = MacAddress.Read(request.AsSpan(18));
            socket.Bind(new PacketEndPoint(index, etherType));
            return new PacketSocket(socket, mac);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Closes the socket. The kernel waits out an RCU grace period when a packet socket closes (tens of
    /// milliseconds), so callers on a latency-sensitive path close it with <see cref="CloseInBackground"/>.</summary>
    public void Dispose() => Socket.Dispose();

    /// <summary>Closes the socket on the thread pool, off the caller's path.</summary>
    public void CloseInBackground() => ThreadPool.UnsafeQueueUserWorkItem(static s => s.Dispose(), this, preferLocal: false);

    private static byte[] InterfaceRequest(string interfaceName)
    {
        if (interfaceName.Length is 0 or > 15 || !Ascii.IsValid(interfaceName))
        {
            throw new ProbeException($"'{interfaceName}' is not an interface name (1-15 ASCII characters)");
        }

        byte[] request = new byte[NativeMethods.InterfaceRequestSize];
        Encoding.ASCII.GetBytes(interfaceName, request);
        return request;
    }

    private static void Control(Socket socket, uint request, byte[] buffer, string interfaceName)
    {
        if (NativeMethods.InterfaceControl((int)socket.Handle, request, buffer) != 0)
        {
            throw new ProbeException($"interface {interfaceName}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
