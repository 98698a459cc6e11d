using Underpool.Core.Net;

namespace Underpool.Store;

/// <summary>The argument checks of <see cref="IIpamStore.TryCommitAsync"/> every backend makes before it writes.</summary>
public static class CommitRecords
{
    /// <summary>The one attachment all records belong to; anything else (no records, two attachments, an address twice)
    /// is a bug in the caller.</summary>
    public static AttachmentKey SingleAttachment(IReadOnlyList<AllocationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("a commit needs at least one record", nameof(records));
        }

        AttachmentKey attachment = records[0].Attachment;
        var seen = new HashSet<(string, IpAddress)>();
        foreach (AllocationRecord record in records)
        {
            if (record.Attachment != attachment)
            {
                throw new ArgumentException(
                    $"a commit holds the records of one attachment; got {attachment} and {record.Attachment}", nameof(records));
            }

            if (!seen.Add((record.Pool, record.Address)))
            {
                throw new ArgumentException($"a commit lists {record.Address} in pool '{record.Pool}' twice", nameof(records));
            }
        }

        return attachment;
    }

    /// <summary>The attachment of each list of <see cref="IIpamStore.TryCommitManyAsync"/>, each checked as
    /// <see cref="SingleAttachment"/> checks one commit.</summary>
    public static AttachmentKey[] Attachments(IReadOnlyList<IReadOnlyList<AllocationRecord>> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        var keys = new AttachmentKey[attachments.Count];
        for (int i = 0; i < attachments.Count; i++)
        {
            keys[i] = SingleAttachment(attachments[i]);
        }

        return keys;
    }

    /// <summary>Whether <paramref name="stored"/> holds exactly the pools and addresses of <paramref name="records"/>.</summary>
    public static bool SameAddresses(IReadOnlyList<AllocationRecord> stored, IReadOnlyList<AllocationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(records);
        return stored.Count == records.Count
               && stored.Select(r => (r.Pool, r.Address)).ToHashSet().SetEquals(records.Select(r => (r.Pool, r.Address)));
    }
}
