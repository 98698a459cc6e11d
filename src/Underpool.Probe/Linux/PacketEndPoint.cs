using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Underpool.Probe.Linux;

/// <summary>struct sockaddr_ll: binds an AF_PACKET socket to one interface and one EtherType.</summary>
internal sealed class PacketEndPoint(int interfaceIndex, ushort etherType) : EndPoint
{
    private const int Size = 20;

    public int InterfaceIndex { get; } = interfaceIndex;

    public ushort EtherType { get; } = etherType;

    public override AddressFamily AddressFamily => AddressFamily.Packet;

    public override SocketAddress Serialize()
    {
        // The family (bytes 0-1) is written by SocketAddress itself.
        var address = new SocketAddress(AddressFamily.Packet, Size);
        Span<byte> bytes = address.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], EtherType);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], InterfaceIndex);
        return address;
    }

    public override EndPoint Create(SocketAddress socketAddress)
    {
        ArgumentNullException.ThrowIfNull(socketAddress);
        ReadOnlySpan<byte> bytes = socketAddress.Buffer.Span;
        return new PacketEndPoint(BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]));
    }
}
