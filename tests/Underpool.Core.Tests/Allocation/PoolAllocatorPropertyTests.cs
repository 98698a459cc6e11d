using CsCheck;
using Underpool.Core.Allocation;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Core.Tests.Allocation;

/// <summary>Random pools and random sequences of take, release, mark-used and set-reserved, checked against a
/// plain set model: the allocator's invariants must hold after every step.</summary>
public sealed class PoolAllocatorPropertyTests
{
    // A pool whose effective ranges hold at most this many addresses is enumerated by the model, which then checks
    // exhaustion and the exact next-fit order too.
    private const int SmallPool = 1024;

    private static readonly Gen<UInt128> GenUInt128 = Gen.Select(Gen.ULong, Gen.ULong, (hi, lo) => new UInt128(hi, lo));

    private static readonly Gen<PoolSpec> GenPool =
        from v6 in Gen.Bool
        from prefix in v6 ? Gen.Int[64, 120] : Gen.Int[20, 30]
        from network in GenUInt128
        from ranges in Gen.Select(GenUInt128, Gen.Int[0, 24]).Array[0, 3]
        from excludes in Gen.Int[0, 80].Array[0, 4]
        from gateway in Gen.Int[-1, 80]
        select BuildPool(v6 ? IpFamily.V6 : IpFamily.V4, prefix, network, ranges, excludes, gateway);

    private static readonly Gen<Step[]> GenSteps =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 100_000], Gen.Int[0, 100_000], (k, a, b) => new Step(k, a, b)).Array[1, 150];

    [Fact]
    public void RandomOperations_KeepEveryInvariant() =>
        Gen.Select(GenPool, GenSteps).Sample(t => Run(t.Item1, t.Item2), iter: 400);

    private static PoolSpec BuildPool(
        IpFamily family, int prefix, UInt128 networkBits, (UInt128 Offset, int Length)[] ranges, int[] excludes, int gateway)
    {
        UInt128 hostMask = (UInt128.One << (family.BitLength() - prefix)) - 1;
        UInt128 network = networkBits & IpAddress.MaxValue(family) & ~hostMask;
        IpCidr subnet = IpCidr.Parse($"{IpAddress.FromValue(network, family)}/{prefix}");
        var explicitRanges = new List<IpRange>();
        foreach ((UInt128 offset, int length) in ranges)
        {
            UInt128 start = network + (offset & hostMask);
            UInt128 end = subnet.Last.Value - start < (UInt128)length ? subnet.Last.Value : start + (UInt128)length;
            explicitRanges.Add(IpRange.Parse($"{IpAddress.FromValue(start, family)}-{IpAddress.FromValue(end, family)}"));
        }

        // Excludes and gateway sit near the start of a range (or of the subnet), where takes land, so they matter.
        UInt128 Near(int k) => explicitRanges.Count == 0
            ? network + (UInt128)k
            : explicitRanges[k % explicitRanges.Count].Start.Value + (UInt128)(k % 30);
        return new PoolSpec
        {
            Name = "p",
            Subnet = subnet,
            Ranges = explicitRanges,
            Exclude = excludes.Select(k => IpAddress.FromValue(Min(Near(k), subnet.Last.Value), family)).ToArray(),
            Gateway = gateway < 0 ? null : IpAddress.FromValue(Min(Near(gateway), subnet.Last.Value), family),
        };
    }

    private static UInt128 Min(UInt128 a, UInt128 b) => a < b ? a : b;

    private static void Run(PoolSpec pool, Step[] steps)
    {
        var model = new AllocatorModel(pool, SmallPool);
        var allocator = new PoolAllocator(pool);
        IpAddress[] probes = model.Probes;
        if (model.Ordered is { } ordered)
        {
            Check(allocator.Capacity == (UInt128)ordered.Count(model.IsFixedHandoutable), "Capacity differs from the model");
        }

        foreach (Step step in steps)
        {
            IpAddress probe = probes[step.A % probes.Length];
            switch (step.Kind)
            {
                case <= 4:
                    bool took = allocator.TryTake(out IpAddress taken);
                    model.CheckTake(took, taken);
                    probe = taken;
                    break;
                case <= 6:
                    if (model.Held.Count > 0 && step.B % 4 != 0)
                    {
                        probe = model.Held[step.A % model.Held.Count];
                    }

                    Check(allocator.Release(probe) == model.Release(probe), $"Release({probe}) differs from the model");
                    break;
                case <= 8:
                    Check(allocator.MarkUsed(probe) == model.MarkUsed(probe), $"MarkUsed({probe}) differs from the model");
                    break;
                default:
                    var reserved = new List<IpAddress>();
                    for (int i = 0; i < step.A % 4; i++)
                    {
                        reserved.Add(probes[(step.B + (i * 7919)) % probes.Length]);
                    }

                    if (model.Held.Count > 0 && step.B % 3 == 0)
                    {
                        reserved.Add(model.Held[step.B % model.Held.Count]);
                    }

                    allocator.SetReserved(reserved);
                    model.SetReserved(reserved);
                    break;
            }

            Check(allocator.UsedCount == model.Held.Count, $"UsedCount {allocator.UsedCount} but the model holds {model.Held.Count}");
            Check(allocator.IsUsed(probe) == model.IsHeld(probe), $"IsUsed({probe}) differs from the model");
            Check(allocator.CanHandOut(probe) == model.IsHandoutable(probe), $"CanHandOut({probe}) differs from the model");
        }

        foreach (IpAddress address in (IEnumerable<IpAddress>?)model.Ordered ?? probes)
        {
            Check(allocator.IsUsed(address) == model.IsHeld(address), $"IsUsed({address}) differs from the model at the end");
            Check(allocator.CanHandOut(address) == model.IsHandoutable(address), $"CanHandOut({address}) differs at the end");
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private readonly record struct Step(int Kind, int A, int B);
}
