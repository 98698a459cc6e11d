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
}
