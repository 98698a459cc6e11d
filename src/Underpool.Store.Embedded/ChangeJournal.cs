using Microsoft.Data.Sqlite;
using Underpool.Core.Net;

namespace Underpool.Store.Embedded;

/// <summary>The <c>changes</c> table: an append-only log written in the same transaction as every change, which
/// agents follow to keep their in-memory views current; old rows are pruned.</summary>
internal sealed class ChangeJournal
{
    /// <summary>The most changes one <see cref="ReadAsync"/> returns.</summary>
    public const int BatchLimit = 10_000;

    private readonly int _keep;
    private readonly int _pruneEvery;

    /// <param name="keep">How many of the newest rows survive a prune.</param>
    /// <param name="pruneEvery">Prune when a revision is a multiple of this: one range delete per that many changes,
    /// and every process sharing the file agrees on when.</param>
    public ChangeJournal(int keep, int pruneEvery)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pruneEvery, 1);
        _keep = keep;
        _pruneEvery = pruneEvery;
    }

    public Task AppendAsync(StoreSession session, StoreChangeKind kind, string? pool, IpAddress? address, CancellationToken cancellationToken) =>
        AppendAsync(session, kind, pool, new IpAddress?[] { address }, cancellationToken);

    /// <summary>Appends one change per address (null for a change about no address), reusing one prepared statement.</summary>
    public async Task AppendAsync(StoreSession session, StoreChangeKind kind, string? pool, IEnumerable<IpAddress?> addresses, CancellationToken cancellationToken)
    {
        using SqliteCommand insert = session.Command("INSERT INTO changes (kind, pool, ip) VALUES ($kind, $pool, $ip) RETURNING rev")
            .Bind("$kind", Code(kind))
            .Bind("$pool", pool);
        SqliteParameter ip = insert.Parameters.Add("$ip", SqliteType.Text);
        foreach (IpAddress? address in addresses)
        {
            ip.Value = address is { } a ? StoredValues.Text(a) : DBNull.Value;
            long revision = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("INSERT ... RETURNING rev returned nothing"));
            if (revision % _pruneEvery == 0)
            {
                using SqliteCommand prune = session.Command("DELETE FROM changes WHERE rev <= $oldest").Bind("$oldest", revision - _keep);
                await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The newest revision, 0 for a journal that was never written.</summary>
    public static async Task<long> CurrentAsync(StoreSession session, CancellationToken cancellationToken)
    {
        // Rows are pruned oldest first and never all, so the newest row is always there.
        using SqliteCommand command = session.Command("SELECT COALESCE(MAX(rev), 0) FROM changes");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    public static async Task<StoreChangeBatch> ReadAsync(StoreSession session, long afterRevision, CancellationToken cancellationToken)
    {
        long oldest;
        long newest;

        // Two subqueries: SQLite answers a lone MIN or MAX of the key from one end of the b-tree, but scans the
        // table for "SELECT MIN(rev), MAX(rev)".
        using (SqliteCommand bounds = session.Command("SELECT (SELECT MIN(rev) FROM changes), (SELECT MAX(rev) FROM changes)"))
        using (SqliteDataReader reader = await bounds.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            newest = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
            oldest = reader.IsDBNull(0) ? newest + 1 : reader.GetInt64(0);
        }

        // Older than the history reaches (pruned), or newer than this store has ever been (the file was replaced).
        if (afterRevision < oldest - 1 || afterRevision > newest)
        {
            return new StoreChangeBatch([], newest, ResetRequired: true);
        }

        var changes = new List<StoreChange>();
        using SqliteCommand select = session.Command("SELECT rev, kind, pool, ip FROM changes WHERE rev > $after ORDER BY rev LIMIT $limit")
            .Bind("$after", afterRevision)
            .Bind("$limit", BatchLimit);
        using SqliteDataReader rows = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? ip = rows.NullableString(3);
            changes.Add(new StoreChange(
                rows.GetInt64(0),
                Kind(rows.GetString(1)),
                rows.NullableString(2),
                ip is null ? null : StoredValues.Address(ip)));
        }

        return new StoreChangeBatch(changes, changes.Count > 0 ? changes[^1].Revision : afterRevision, ResetRequired: false);
    }

    // Stable names rather than enum numbers: the file outlives any reordering of StoreChangeKind.
    private static string Code(StoreChangeKind kind) => kind switch
    {
        StoreChangeKind.AllocationAdded => "add",
        StoreChangeKind.AllocationRemoved => "remove",
        StoreChangeKind.PoolsChanged => "pools",
        StoreChangeKind.ReservedChanged => "reserved",
        StoreChangeKind.QuarantineChanged => "quarantine",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown change kind"),
    };

    private static StoreChangeKind Kind(string code) => code switch
    {
        "add" => StoreChangeKind.AllocationAdded,
        "remove" => StoreChangeKind.AllocationRemoved,
        "pools" => StoreChangeKind.PoolsChanged,
        "reserved" => StoreChangeKind.ReservedChanged,
        "quarantine" => StoreChangeKind.QuarantineChanged,
        _ => throw new InvalidDataException($"the store's journal holds an unknown change kind '{code}'"),
    };
}
