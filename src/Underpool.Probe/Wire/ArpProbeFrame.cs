using System.Buffers.Binary;
using Underpool.Core.Net;

namespace Underpool.Probe.Wire;

/// <summary>RFC 5227 ARP probes: the request to send and the test of what comes back.</summary>
/// <remarks>A probe carries sender IP 0.0.0.0 so no neighbour caches a mapping for an address we do not hold yet
/// (a peer poisoned its neighbours' ARP tables by probing with the candidate as sender).</remarks>
public static class ArpProbeFrame
{
    public const ushort EtherType = 0x0806;

    /// <summary>Ethernet's minimum frame without its FCS: shorter frames are padded with zeros.</summary>
    public const int Length = 60;

    private const int ArpStart = 14;
    private const ushort Request = 1;
    private const ushort Reply = 2;

    /// <summary>Writes a broadcast "who has <paramref name="target"/>" from <paramref name="sender"/> with sender IP 0.0.0.0.</summary>
    public static int Write(Span<byte> frame, MacAddress sender, IpAddress target)
    {
        RequireV4(target);
        frame[..Length].Clear();
        MacAddress.Broadcast.Write(frame);
        sender.Write(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], EtherType);
        Span<byte> arp = frame[ArpStart..];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1); // Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], 0x0800); // IPv4
        arp[4] = MacAddress.Length;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], Request);
        sender.Write(arp[8..]);

        // Sender IP (arp[14..18]) and target MAC (arp[18..24]) stay zero.
        BinaryPrimitives.WriteUInt32BigEndian(arp[24..], (uint)target.Value);
        return Length;
    }

    /// <summary>What <paramref name="frame"/> says about <paramref name="target"/>: <see cref="ProbeFinding.Held"/> for
    /// any ARP packet from another host whose sender IP is the target (a reply, an announcement, a request it sends
    /// while using the address), <see cref="ProbeFinding.Contended"/> for another host's probe (sender IP 0.0.0.0) for
    /// the target, else <see cref="ProbeFinding.Clear"/>. Frames from <paramref name="own"/> (the socket sees its own)
    /// never count. <paramref name="from"/> is the other host's MAC (the ARP sender hardware address).</summary>
    public static ProbeFinding Classify(ReadOnlySpan<byte> frame, MacAddress own, IpAddress target, out MacAddress from)
    {
        RequireV4(target);
        from = default;
        if (frame.Length < ArpStart + 28 || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != EtherType)
        {
            return ProbeFinding.Clear;
        }

        ReadOnlySpan<byte> arp = frame[ArpStart..];
        if (BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp[2..]) != 0x0800
            || arp[4] != MacAddress.Length || arp[5] != 4)
        {
            return ProbeFinding.Clear;
        }

        ushort op = BinaryPrimitives.ReadUInt16BigEndian(arp[6..]);
        var senderMac = MacAddress.Read(arp[8..]);
        uint senderIp = BinaryPrimitives.ReadUInt32BigEndian(arp[14..]);
        uint targetIp = BinaryPrimitives.ReadUInt32BigEndian(arp[24..]);
        if (senderMac == own || MacAddress.Read(frame[6..]) == own || op is not (Request or Reply))
        {
            return ProbeFinding.Clear;
        }

        uint wanted = (uint)target.Value;
        ProbeFinding finding = senderIp == wanted ? ProbeFinding.Held
            : op == Request && senderIp == 0 && targetIp == wanted ? ProbeFinding.Contended
            : ProbeFinding.Clear;
        from = finding == ProbeFinding.Clear ? default : senderMac;
        return finding;
    }

    private static void RequireV4(IpAddress address)
    {
        if (address.Family != IpFamily.V4)
        {
            throw new ArgumentException($"ARP probes IPv4 addresses; {address} is IPv6", nameof(address));
        }
    }
}
