using Underpool.Core.Net;

namespace Underpool.Store;

/// <summary>The rules of <see cref="IIpamStore.ReplaceAttachmentAsync"/> every backend applies alike.</summary>
public static class AttachmentReplacement
{
    /// <summary>The one attachment both lists hold; throws when the replacement would change which addresses the
    /// attachment holds (that is a release and a commit, not a replacement).</summary>
    public static AttachmentKey Validate(IReadOnlyList<AllocationRecord> expected, IReadOnlyList<AllocationRecord> replacement)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        if (expected.Count == 0)
        {
            throw new ArgumentException("a replacement needs the records it replaces", nameof(expected));
        }

        AttachmentKey attachment = expected[0].Attachment;
        if (expected.Concat(replacement).Any(r => r.Attachment != attachment))
        {
            throw new ArgumentException($"a replacement keeps to one attachment ({attachment})", nameof(replacement));
        }

        if (!Addresses(expected).SetEquals(Addresses(replacement)) || expected.Count != replacement.Count)
        {
            throw new ArgumentException(
                $"a replacement of {attachment} must hold the same pools and addresses as the records it replaces", nameof(replacement));
        }

        return attachment;
    }

    /// <summary>Whether the stored records are exactly the expected ones, in any order.</summary>
    public static bool SameRecords(IReadOnlyList<AllocationRecord> stored, IReadOnlyList<AllocationRecord> expected)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(expected);
        return stored.Count == expected.Count && stored.ToHashSet().SetEquals(expected);
    }

    private static HashSet<(string, IpAddress)> Addresses(IEnumerable<AllocationRecord> records) =>
        records.Select(r => (r.Pool, r.Address)).ToHashSet();
}
