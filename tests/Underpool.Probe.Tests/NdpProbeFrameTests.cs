using System.Buffers.Binary;
using CsCheck;
using Underpool.Core.Net;
using Underpool.Probe.Wire;

namespace Underpool.Probe.Tests;

public sealed class NdpProbeFrameTests
{
    private static readonly MacAddress Own = new(0x0242_ac14_0001);
    private static readonly MacAddress Other = new(0x0242_ac14_003c);
    private static readonly IpAddress Target = IpAddress.Parse("fd00:20:1::1");

    [Fact]
    public void The_solicited_node_group_keeps_the_low_24_bits_and_its_mac_the_low_32()
    {
        IpAddress group = SolicitedNode.Group(IpAddress.Parse("2001:db8::1:2345:6789"));

        Assert.Equal(IpAddress.Parse("ff02::1:ff45:6789"), group);
        Assert.Equal("33:33:ff:45:67:89", SolicitedNode.MulticastMac(group).ToString());
    }

    [Fact]
    public void A_probe_is_a_solicitation_from_the_unspecified_address_to_the_solicited_node_group()
    {
        byte[] frame = new byte[NdpProbeFrame.Length];

        int length = NdpProbeFrame.Write(frame, Own, Target);

        Assert.Equal(78, length);
        Assert.Equal(Convert.FromHexString("3333ff000001" + "0242ac140001" + "86dd"), frame[..14]);
        Assert.Equal(Convert.FromHexString("60000000" + "0018" + "3a" + "ff"), frame[14..22]);
        Assert.All(frame[22..38], b => Assert.Equal(0, b));
        Assert.Equal(IpAddress.Parse("ff02::1:ff00:1").Value, BinaryPrimitives.ReadUInt128BigEndian(frame.AsSpan(38)));
        Assert.Equal(135, frame[54]);
        Assert.Equal(Target.Value, BinaryPrimitives.ReadUInt128BigEndian(frame.AsSpan(62)));
    }

    [Fact]
    public void The_checksum_of_a_known_solicitation_matches_one_computed_by_hand()
    {
        // NS from :: to ff02::1:ff00:1 for fd00:20:1::1: the non-zero words ff02 1 ff00 1 18 3a 8700 fd00 20 1 1 sum to
        // 0x2827b, folded 0x827d, complemented 0x7d84.
        byte[] frame = new byte[NdpProbeFrame.Length];
        NdpProbeFrame.Write(frame, Own, Target);

        Assert.Equal(0x7D84, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(56)));
    }

    [Fact]
    public void Any_probe_verifies_the_internet_checksum_way_to_zero() =>
        Gen.Select(Gen.ULong[0, 0xFFFF_FFFF_FFFF], Gen.UInt, Gen.UInt, Gen.UInt).Sample((mac, a, b, c) =>
        {
            var target = IpAddress.V6(new UInt128(((ulong)a << 32) | b, c));
            byte[] frame = new byte[NdpProbeFrame.Length];
            NdpProbeFrame.Write(frame, new MacAddress(mac), target);
            return NdpProbeFrame.Checksum(frame.AsSpan(22, 16), frame.AsSpan(38, 16), frame.AsSpan(54, 24)) == 0;
        });

    [Fact]
    public void An_advertisement_for_the_target_says_it_is_held_naming_its_target_link_layer_address()
    {
        var router = new MacAddress(0x0200_0000_00fe);
        Assert.Equal(ProbeFinding.Held, NdpProbeFrame.Classify(Advertisement(Other, Target, router), Own, Target, out MacAddress by));
        Assert.Equal(router, by);
        Assert.Equal(ProbeFinding.Held, NdpProbeFrame.Classify(Advertisement(Other, Target, tll: null), Own, Target, out by));
        Assert.Equal(Other, by);
    }

    [Fact]
    public void Another_nodes_duplicate_address_detection_for_the_target_says_it_is_contended_not_held()
    {
        byte[] theirs = new byte[NdpProbeFrame.Length];
        NdpProbeFrame.Write(theirs, Other, Target);

        Assert.Equal(ProbeFinding.Contended, NdpProbeFrame.Classify(theirs, Own, Target, out MacAddress by));
        Assert.Equal(Other, by);
    }

    [Fact]
    public void A_solicitation_sent_from_the_target_says_another_host_holds_it()
    {
        // The holder resolving a neighbour: source address = the target, asking about some other address.
        byte[] resolving = new byte[NdpProbeFrame.Length];
        NdpProbeFrame.Write(resolving, Other, IpAddress.Parse("fd00:20:1::99"));
        BinaryPrimitives.WriteUInt128BigEndian(resolving.AsSpan(22), Target.Value);

        Assert.Equal(ProbeFinding.Held, NdpProbeFrame.Classify(resolving, Own, Target, out MacAddress by));
        Assert.Equal(Other, by);
    }

    [Fact]
    public void Our_own_probe_an_ordinary_solicitation_and_an_advertisement_for_another_address_say_nothing()
    {
        byte[] ours = new byte[NdpProbeFrame.Length];
        NdpProbeFrame.Write(ours, Own, Target);
        byte[] resolution = new byte[NdpProbeFrame.Length];
        NdpProbeFrame.Write(resolution, Other, Target);
        resolution[37] = 1; // from ::1-ish, not ::: address resolution of the target, not DAD

        Assert.Equal(ProbeFinding.Clear, NdpProbeFrame.Classify(ours, Own, Target, out _));
        Assert.Equal(ProbeFinding.Clear, NdpProbeFrame.Classify(resolution, Own, Target, out _));
        Assert.Equal(ProbeFinding.Clear, NdpProbeFrame.Classify(Advertisement(Other, IpAddress.Parse("fd00:20:1::2"), null), Own, Target, out _));
    }

    [Fact]
    public void An_advertisement_with_another_hop_limit_is_ignored_as_rfc_4861_asks()
    {
        byte[] forwarded = Advertisement(Other, Target, null);
        forwarded[21] = 254;

        Assert.Equal(ProbeFinding.Clear, NdpProbeFrame.Classify(forwarded, Own, Target, out _));
    }

    [Fact]
    public void Any_bytes_are_parsed_without_throwing() =>
        Gen.Byte.Array[0, 120].Sample(bytes => { _ = NdpProbeFrame.Classify(bytes, Own, Target, out _); }, iter: 2000);

    /// <summary>A neighbor advertisement for <paramref name="target"/> from <paramref name="from"/>, with a target
    /// link-layer address option when <paramref name="tll"/> is given.</summary>
    private static byte[] Advertisement(MacAddress from, IpAddress target, MacAddress? tll)
    {
        byte[] frame = new byte[NdpProbeFrame.Length + 8];
        NdpProbeFrame.Write(frame, from, target);
        frame[54] = 136;
        frame[58] = 0x60; // solicited, override
        if (tll is { } mac)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(18), 32);
            frame[78] = 2;
            frame[79] = 1;
            mac.Write(frame.AsSpan(80));
            return frame;
        }

        return frame[..NdpProbeFrame.Length];
    }
}
