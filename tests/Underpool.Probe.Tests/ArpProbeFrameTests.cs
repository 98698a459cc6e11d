using System.Buffers.Binary;
using CsCheck;
using Underpool.Core.Net;
using Underpool.Probe.Wire;

namespace Underpool.Probe.Tests;

public sealed class ArpProbeFrameTests
{
    private static readonly MacAddress Own = new(0x0242_ac14_0001);
    private static readonly MacAddress Other = new(0x0242_ac14_003c);
    private static readonly IpAddress Target = IpAddress.Parse("172.20.1.60");

    [Fact]
    public void A_probe_is_a_broadcast_request_from_our_mac_with_sender_ip_zero()
    {
        byte[] frame = new byte[ArpProbeFrame.Length];

        int length = ArpProbeFrame.Write(frame, Own, Target);

        Assert.Equal(60, length);
        Assert.Equal(
            Convert.FromHexString(
                "ffffffffffff" + "0242ac140001" + "0806" // Ethernet: broadcast, from us, ARP
                + "0001" + "0800" + "06" + "04" + "0001" // Ethernet/IPv4, request
                + "0242ac140001" + "00000000" // sender: our MAC, 0.0.0.0
                + "000000000000" + "ac14013c"), // target: unknown MAC, 172.20.1.60
            frame[..42]);
        Assert.All(frame[42..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_reply_from_another_host_for_the_target_says_it_is_held_naming_its_mac()
    {
        Assert.Equal(ProbeFinding.Held, ArpProbeFrame.Classify(Reply(Other, Target), Own, Target, out MacAddress by));
        Assert.Equal(Other, by);
        Assert.Equal("02:42:ac:14:00:3c", by.ToString());
    }

    [Fact]
    public void An_announcement_of_the_target_by_another_host_says_it_is_held()
    {
        byte[] announcement = new byte[ArpProbeFrame.Length];
        ArpProbeFrame.Write(announcement, Other, Target);
        BinaryPrimitives.WriteUInt32BigEndian(announcement.AsSpan(28), (uint)Target.Value); // sender IP = target

        Assert.Equal(ProbeFinding.Held, ArpProbeFrame.Classify(announcement, Own, Target, out MacAddress by));
        Assert.Equal(Other, by);
    }

    [Fact]
    public void Another_hosts_probe_for_the_same_address_says_it_is_contended_not_held()
    {
        byte[] theirs = new byte[ArpProbeFrame.Length];
        ArpProbeFrame.Write(theirs, Other, Target);

        Assert.Equal(ProbeFinding.Contended, ArpProbeFrame.Classify(theirs, Own, Target, out MacAddress by));
        Assert.Equal(Other, by);
    }

    [Fact]
    public void Our_own_probe_seen_by_our_socket_says_nothing()
    {
        byte[] ours = new byte[ArpProbeFrame.Length];
        ArpProbeFrame.Write(ours, Own, Target);

        Assert.Equal(ProbeFinding.Clear, ArpProbeFrame.Classify(ours, Own, Target, out _));
    }

    [Fact]
    public void A_reply_about_another_address_or_a_non_arp_frame_says_nothing()
    {
        Assert.Equal(ProbeFinding.Clear, ArpProbeFrame.Classify(Reply(Other, IpAddress.Parse("172.20.1.61")), Own, Target, out _));
        byte[] notArp = Reply(Other, Target);
        BinaryPrimitives.WriteUInt16BigEndian(notArp.AsSpan(12), 0x0800);
        Assert.Equal(ProbeFinding.Clear, ArpProbeFrame.Classify(notArp, Own, Target, out _));
        Assert.Equal(ProbeFinding.Clear, ArpProbeFrame.Classify(Reply(Other, Target).AsSpan(0, 41), Own, Target, out _));
    }

    [Fact]
    public void Probing_an_ipv6_address_with_arp_is_refused() =>
        Assert.Throws<ArgumentException>(() => ArpProbeFrame.Write(new byte[60], Own, IpAddress.Parse("fd00::1")));

    [Fact]
    public void Any_bytes_are_parsed_without_throwing() =>
        Gen.Byte.Array[0, 80].Sample(bytes => { _ = ArpProbeFrame.Classify(bytes, Own, Target, out _); }, iter: 2000);

    [Fact]
    public void A_probe_from_any_other_mac_for_any_address_is_contended_only_at_that_address() =>
        Gen.Select(Gen.ULong[1, 0xFFFF_FFFF_FFFE], Gen.UInt, Gen.UInt).Sample((mac, probed, asked) =>
        {
            var sender = new MacAddress(mac);
            byte[] frame = new byte[ArpProbeFrame.Length];
            ArpProbeFrame.Write(frame, sender, IpAddress.V4(probed));
            ProbeFinding finding = ArpProbeFrame.Classify(frame, Own, IpAddress.V4(asked), out MacAddress by);

            // A probe's sender IP is 0.0.0.0, so it also "uses" 0.0.0.0; only our own frames never count.
            ProbeFinding expected = sender == Own ? ProbeFinding.Clear
                : asked == 0 ? ProbeFinding.Held
                : probed == asked ? ProbeFinding.Contended
                : ProbeFinding.Clear;
            return finding == expected && (finding == ProbeFinding.Clear || by == sender);
        });

    /// <summary>An ARP reply "<paramref name="address"/> is at <paramref name="from"/>", sent to us.</summary>
    internal static byte[] Reply(MacAddress from, IpAddress address)
    {
        byte[] frame = new byte[ArpProbeFrame.Length];
        ArpProbeFrame.Write(frame, from, IpAddress.V4(0));
        Own.Write(frame);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(20), 2);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(28), (uint)address.Value);
        Own.Write(frame.AsSpan(32));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(38), 0);
        return frame;
    }
}
