using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Underpool.Core.Net;

/// <summary>An IPv4 or IPv6 address as a 128-bit number plus its family; IPv4 uses the low 32 bits.</summary>
/// <remarks>Arithmetic is on <see cref="UInt128"/> so a /64 IPv6 pool is as cheap as a /24 (peers that used
/// 64-bit offsets could only use half of a /64).</remarks>
public readonly record struct IpAddress : IComparable<IpAddress>, ISpanFormattable
{
    private IpAddress(UInt128 value, IpFamily family)
    {
        Value = value;
        Family = family;
    }

    /// <summary>The address as a number; for IPv4 at most <see cref="uint.MaxValue"/>.</summary>
    public UInt128 Value { get; }

    public IpFamily Family { get; }

    public static IpAddress V4(uint value) => new(value, IpFamily.V4);

    public static IpAddress V6(UInt128 value) => new(value, IpFamily.V6);

    public static IpAddress FromValue(UInt128 value, IpFamily family)
    {
        if (family == IpFamily.V4 && value > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "an IPv4 address is at most 32 bits");
        }

        return new IpAddress(value, family);
    }

    /// <summary>The largest value an address of this family can hold.</summary>
    public static UInt128 MaxValue(IpFamily family) => family == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;

    /// <summary>This address plus <paramref name="offset"/>; the caller keeps it inside the family's space.</summary>
    public IpAddress Add(UInt128 offset) => new(Value + offset, Family);

    public static IpAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b4 = stackalloc byte[4];
            address.TryWriteBytes(b4, out _);
            return V4(BinaryPrimitives.ReadUInt32BigEndian(b4));
        }

        Span<byte> b16 = stackalloc byte[16];
        address.TryWriteBytes(b16, out _);
        return V6(BinaryPrimitives.ReadUInt128BigEndian(b16));
    }

    public IPAddress ToIPAddress()
    {
        if (Family == IpFamily.V4)
        {
            return new IPAddress(BitConverter.IsLittleEndian
                ? BinaryPrimitives.ReverseEndianness((uint)Value)
                : (uint)Value);
        }

        Span<byte> b16 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(b16, Value);
        return new IPAddress(b16);
    }

    /// <summary>Parses a plain address: dotted-quad IPv4 (four decimal parts, no shorthand such as "10.1")
    /// or IPv6 text without a zone or brackets ("fe80::1%eth0" and "[fd00::1]:80" are refused).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpAddress address)
    {
        text = text.Trim();

        // IPAddress.TryParse also accepts a zone ("fe80::1%eth0") and an endpoint ("[fd00::1]:80"); the address
        // taken from either would silently drop what the user wrote after it.
        if (text.IndexOf(':') < 0)
        {
            if (TryParseV4(text, out uint v4))
            {
                address = V4(v4);
                return true;
            }
        }
        else if (text.IndexOfAny('%', '[', ']') < 0 && IPAddress.TryParse(text, out IPAddress? ip)
                 && ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            address = FromIPAddress(ip);
            return true;
        }

        address = default;
        return false;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out IpAddress address)
    {
        if (text is null)
        {
            address = default;
            return false;
        }

        return TryParse(text.AsSpan(), out address);
    }

    /// <summary>Parses or throws <see cref="FormatException"/>: for trusted input (tests, stored data).</summary>
    public static IpAddress Parse(string text) =>
        TryParse(text, out IpAddress a) ? a : throw new FormatException($"'{text}' is not an IPv4 or IPv6 address");

    private static bool TryParseV4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        int parts = 0;
        while (true)
        {
            int dot = text.IndexOf('.');
            ReadOnlySpan<char> part = dot < 0 ? text : text[..dot];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')
                || !uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out uint octet) || octet > 255)
            {
                return false;
            }

            value = (value << 8) | octet;
            parts++;
            if (dot < 0)
            {
                return parts == 4;
            }

            if (parts == 4)
            {
                return false;
            }

            text = text[(dot + 1)..];
        }
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        if (Family == IpFamily.V6)
        {
            return ToIPAddress().TryFormat(destination, out charsWritten);
        }

        uint v = (uint)Value;
        charsWritten = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            if (shift != 24)
            {
                if (charsWritten >= destination.Length)
                {
                    return false;
                }

                destination[charsWritten++] = '.';
            }

            if (!((v >> shift) & 0xFF).TryFormat(destination[charsWritten..], out int n, default, CultureInfo.InvariantCulture))
            {
                return false;
            }

            charsWritten += n;
        }

        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[64];
        return TryFormat(buffer, out int n) ? new string(buffer[..n]) : string.Empty;
    }

    /// <summary>IPv4 sorts before IPv6; within a family by value.</summary>
    public int CompareTo(IpAddress other) =>
        Family != other.Family ? Family.CompareTo(other.Family) : Value.CompareTo(other.Value);

    public static bool operator <(IpAddress left, IpAddress right) => left.CompareTo(right) < 0;

    public static bool operator >(IpAddress left, IpAddress right) => left.CompareTo(right) > 0;

    public static bool operator <=(IpAddress left, IpAddress right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IpAddress left, IpAddress right) => left.CompareTo(right) >= 0;
}
