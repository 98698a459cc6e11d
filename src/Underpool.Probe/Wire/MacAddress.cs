using System.Buffers.Binary;
using System.Globalization;

namespace Underpool.Probe.Wire;

/// <summary>A 48-bit Ethernet hardware address, held in the low bits of a <see cref="ulong"/>.</summary>
public readonly record struct MacAddress(ulong Value)
{
    public const int Length = 6;

    public static MacAddress Broadcast { get; } = new(0xFFFF_FFFF_FFFF);

    public static MacAddress Zero { get; } = new(0);

    public static MacAddress Read(ReadOnlySpan<byte> bytes) =>
        new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)Value);
    }

    /// <summary>Parses "aa:bb:cc:dd:ee:ff" (case-insensitive).</summary>
    public static bool TryParse(string? text, out MacAddress mac)
    {
        mac = default;
        string[] parts = text?.Split(':') ?? [];
        if (parts.Length != Length)
        {
            return false;
        }

        ulong value = 0;
        foreach (string part in parts)
        {
            if (part.Length != 2 || !byte.TryParse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte b))
            {
                return false;
            }

            value = (value << 8) | b;
        }

        mac = new MacAddress(value);
        return true;
    }

    /// <summary>Lower-case "aa:bb:cc:dd:ee:ff", as ip(8) prints it.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        Write(bytes);
        return string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }
}
