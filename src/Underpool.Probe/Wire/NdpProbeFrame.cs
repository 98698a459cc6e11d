using System.Buffers.Binary;
using Underpool.Core.Net;

namespace Underpool.Probe.Wire;

/// <summary>NDP duplicate address detection (RFC 4862 5.4) as whole Ethernet frames: a neighbor solicitation from
/// the unspecified address to the target's solicited-node group, and the test of what comes back.</summary>
/// <remarks>Built whole (Ethernet + IPv6 + ICMPv6, our checksum) for an AF_PACKET socket, so the probe needs no IPv6
/// address on the uplink and, coming from ::, leaves nothing in any neighbour cache.</remarks>
public static class NdpProbeFrame
{
    public const ushort EtherType = 0x86DD;

    public const int Length = EthernetHeader + Ipv6Header + SolicitationLength;

    private const int EthernetHeader = 14;
    private const int Ipv6Header = 40;
    private const int SolicitationLength = 24;
    private const int IcmpStart = EthernetHeader + Ipv6Header;
    private const byte Icmpv6 = 58;
    private const byte NeighborSolicitation = 135;
    private const byte NeighborAdvertisement = 136;
    private const byte TargetLinkLayerOption = 2;

    /// <summary>Writes a DAD neighbor solicitation for <paramref name="target"/> sent by <paramref name="sender"/>.</summary>
    public static int Write(Span<byte> frame, MacAddress sender, IpAddress target)
    {
        RequireV6(target);
        IpAddress group = SolicitedNode.Group(target);
        frame[..Length].Clear();
        SolicitedNode.MulticastMac(group).Write(frame);
        sender.Write(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], EtherType);

        Span<byte> ip = frame[EthernetHeader..];
        ip[0] = 0x60; // version 6, traffic class and flow label 0
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], SolicitationLength);
        ip[6] = Icmpv6;
        ip[7] = 255; // NDP messages with another hop limit are dropped by the receiver (RFC 4861 7.1.1)

        // Source (ip[8..24]) is the unspecified address ::.
        BinaryPrimitives.WriteUInt128BigEndian(ip[24..], group.Value);

        Span<byte> icmp = frame[IcmpStart..];
        icmp[0] = NeighborSolicitation;
        BinaryPrimitives.WriteUInt128BigEndian(icmp[8..], target.Value);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(ip[8..24], ip[24..40], icmp[..SolicitationLength]));
        return Length;
    }

    /// <summary>The ICMPv6 checksum over the pseudo-header (RFC 8200 8.1) and the message with its checksum field zero.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> message)
    {
        Span<byte> lengthAndNext = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(lengthAndNext, (uint)message.Length);
        lengthAndNext[7] = Icmpv6;
        uint sum = InternetChecksum.Add(0, source);
        sum = InternetChecksum.Add(sum, destination);
        sum = InternetChecksum.Add(sum, lengthAndNext);
        sum = InternetChecksum.Add(sum, message);
        return InternetChecksum.Finish(sum);
    }

    /// <summary>What <paramref name="frame"/> says about <paramref name="target"/>: <see cref="ProbeFinding.Held"/> for a
    /// neighbor advertisement for it, or a neighbor solicitation sent from it (its holder resolving a neighbour);
    /// <see cref="ProbeFinding.Contended"/> for another node's duplicate address detection (a solicitation from ::) for
    /// it; else <see cref="ProbeFinding.Clear"/>. Frames from <paramref name="own"/> never count. <paramref name="from"/>
    /// is the advertisement's target link-layer address option when it has one, else the frame's source MAC.</summary>
    public static ProbeFinding Classify(ReadOnlySpan<byte> frame, MacAddress own, IpAddress target, out MacAddress from)
    {
        RequireV6(target);
        from = default;
        if (frame.Length < IcmpStart + SolicitationLength || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != EtherType)
        {
            return ProbeFinding.Clear;
        }

        ReadOnlySpan<byte> ip = frame[EthernetHeader..];
        var source = MacAddress.Read(frame[6..]);
        if (ip[0] >> 4 != 6 || ip[6] != Icmpv6 || ip[7] != 255 || source == own)
        {
            return ProbeFinding.Clear;
        }

        int payload = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(ip[4..]), frame.Length - IcmpStart);
        ReadOnlySpan<byte> icmp = frame.Slice(IcmpStart, payload);
        if (icmp.Length < SolicitationLength || icmp[1] != 0)
        {
            return ProbeFinding.Clear;
        }

        UInt128 sourceIp = BinaryPrimitives.ReadUInt128BigEndian(ip[8..]);
        bool forTarget = BinaryPrimitives.ReadUInt128BigEndian(icmp[8..]) == target.Value;
        switch (icmp[0])
        {
            case NeighborAdvertisement when forTarget:
                from = TargetLinkLayer(icmp[SolicitationLength..]) ?? source;
                return ProbeFinding.Held;
            case NeighborSolicitation when sourceIp == target.Value:
                from = source;
                return ProbeFinding.Held;
            case NeighborSolicitation when forTarget && sourceIp == UInt128.Zero:
                from = source;
                return ProbeFinding.Contended;
            default:
                return ProbeFinding.Clear;
        }
    }

    private static MacAddress? TargetLinkLayer(ReadOnlySpan<byte> options)
    {
        // Options are (type, length in 8-byte units, value); a zero length is malformed and ends the walk.
        while (options.Length >= 8 && options[1] != 0 && options[1] * 8 <= options.Length)
        {
            if (options[0] == TargetLinkLayerOption)
            {
                return MacAddress.Read(options[2..]);
            }

            options = options[(options[1] * 8)..];
        }

        return null;
    }

    private static void RequireV6(IpAddress address)
    {
        if (address.Family != IpFamily.V6)
        {
            throw new ArgumentException($"NDP probes IPv6 addresses; {address} is IPv4", nameof(address));
        }
    }
}
