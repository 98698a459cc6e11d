using CsCheck;
using Underpool.Core.Allocation;

namespace Underpool.Core.Tests.Allocation;

/// <summary>The summarised bitmap against a plain bool-array model, at sizes that cross the 64, 4096 and 262144
/// boundaries where the summary tree gains a level, with long filled runs so whole words and subtrees go full.</summary>
public sealed class BitmapIndexSetPropertyTests
{
    private static readonly Gen<int> GenCount =
        Gen.OneOf(Gen.Int[0, 200], Gen.Int[4_000, 4_200], Gen.Int[262_000, 262_300]);

    private static readonly Gen<(int Kind, int A, int B)[]> GenSteps =
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Array[1, 60];

    [Fact]
    public void RandomOperations_MatchABoolArray() =>
        Gen.Select(GenCount, GenSteps).Sample(t => Run(t.Item1, t.Item2), iter: 150);

    [Fact]
    public void Full_ThenOneFreedAnywhere_IsFoundFromAnyCursor()
    {
        const int count = 262_145;
        var set = new BitmapIndexSet(count);
        for (int i = 0; i < count; i++)
        {
            set.MarkUsed((uint)i);
        }

        Assert.False(set.TryTake(0, out _));
        foreach (int freed in new[] { 0, 63, 64, 4095, 4096, 262_143, 262_144 })
        {
            set.Release((uint)freed);
            Assert.True(set.TryTake((uint)((freed + 1) % count), out UInt128 index));
            Assert.Equal((UInt128)freed, index);
        }
    }

    private static void Run(int count, (int Kind, int A, int B)[] steps)
    {
        var set = new BitmapIndexSet(count);
        bool[] used = new bool[count];
        bool[] blocked = new bool[count];
        long usedCount = 0;
        foreach ((int kind, int a, int b) in steps)
        {
            if (count == 0)
            {
                Assert.False(set.TryTake(0, out _));
                continue;
            }

            int i = a % count;
            switch (kind)
            {
                case <= 2:
                    int expected = -1;
                    for (int k = 0; k < count; k++)
                    {
                        int j = (i + k) % count;
                        if (!used[j] && !blocked[j])
                        {
                            expected = j;
                            break;
                        }
                    }

                    bool took = set.TryTake((uint)i, out UInt128 index);
                    Assert.Equal(expected >= 0, took);
                    if (took)
                    {
                        Assert.Equal((UInt128)expected, index);
                        used[expected] = true;
                        usedCount++;
                    }

                    break;
                case 3:
                    // A long run, so words, then summary words, go full.
                    for (int j = i, end = Math.Min(count, i + (b % 70_000)); j < end; j++)
                    {
                        Assert.Equal(!used[j], set.MarkUsed((uint)j));
                        usedCount += used[j] ? 0 : 1;
                        used[j] = true;
                    }

                    break;
                case 4:
                    for (int j = i, end = Math.Min(count, i + (b % 200)); j < end; j++)
                    {
                        Assert.Equal(used[j], set.Release((uint)j));
                        usedCount -= used[j] ? 1 : 0;
                        used[j] = false;
                    }

                    break;
                case 5:
                    for (int j = i, end = Math.Min(count, i + (b % 3_000)); j < end; j++)
                    {
                        set.Block((uint)j);
                        blocked[j] = true;
                    }

                    break;
                default:
                    set.Unblock((uint)i);
                    blocked[i] = false;
                    break;
            }

            Assert.Equal(usedCount, set.UsedCount);
            Assert.Equal(used[i], set.IsUsed((uint)i));
            Assert.Equal(blocked[i], set.IsBlocked((uint)i));
        }
    }
}
