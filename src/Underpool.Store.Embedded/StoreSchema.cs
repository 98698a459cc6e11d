using Microsoft.Data.Sqlite;

namespace Underpool.Store.Embedded;

/// <summary>The tables of the store and how a data directory is brought up to them.</summary>
internal static class StoreSchema
{
    /// <summary>The layout this build reads and writes; a file from a newer build is refused, not guessed at.</summary>
    public const long Version = 2;

    public const string SchemaVersionKey = "schema_version";

    /// <summary>Bumped by every pool create and delete: guards <c>CreatePoolAsync</c>'s overlap check.</summary>
    public const string PoolsRevisionKey = "pools_revision";

    // allocations' primary key (pool, ip) is the create-if-absent that makes an address impossible to hold twice.
    // WITHOUT ROWID stores allocations in that key's order, so the key is the table (no second b-tree) and a pool's
    // rows are one range. changes.rev is AUTOINCREMENT so a pruned revision is never reused (a rolled-back one may
    // be, harmlessly: nobody saw it). pools.generation is the pools_revision that created the pool.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS pools (
            name       TEXT PRIMARY KEY,
            family     INTEGER NOT NULL,
            subnet     TEXT NOT NULL,
            spec       TEXT NOT NULL,
            generation INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS reserved (
            ip     TEXT PRIMARY KEY,
            family INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS quarantine (
            ip          TEXT PRIMARY KEY,
            family      INTEGER NOT NULL,
            pool        TEXT NOT NULL,
            mac         TEXT NOT NULL,
            node        TEXT NOT NULL,
            ifname      TEXT NOT NULL,
            detected_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS allocations (
            pool          TEXT NOT NULL REFERENCES pools (name),
            pool_gen      INTEGER NOT NULL,
            ip            TEXT NOT NULL,
            network       TEXT NOT NULL,
            container_id  TEXT NOT NULL,
            ifname        TEXT NOT NULL,
            node          TEXT NOT NULL,
            netns         TEXT,
            pod_namespace TEXT,
            pod_name      TEXT,
            pod_uid       TEXT,
            created_at    TEXT NOT NULL,
            static        INTEGER NOT NULL DEFAULT 0,
            runtime_container TEXT,
            owner_kind    TEXT,
            owner_name    TEXT,
            mac           TEXT,
            PRIMARY KEY (pool, ip)
        ) WITHOUT ROWID;

        CREATE INDEX IF NOT EXISTS allocations_by_attachment ON allocations (network, container_id, ifname);
        CREATE INDEX IF NOT EXISTS allocations_by_node ON allocations (node);

        -- Added after schema version 1 shipped; CREATE IF NOT EXISTS brings older files up without a version bump.
        CREATE TABLE IF NOT EXISTS leases (
            name       TEXT PRIMARY KEY,
            holder     TEXT NOT NULL,
            expires_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS nodes (
            name          TEXT PRIMARY KEY,
            labels        TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            last_seen     TEXT NOT NULL,
            expires_at    TEXT NOT NULL,
            uplink_macs   TEXT NOT NULL DEFAULT '[]'
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS changes (
            rev  INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            pool TEXT,
            ip   TEXT
        );

        INSERT INTO meta (key, value) VALUES ('schema_version', 2), ('pools_revision', 0)
            ON CONFLICT (key) DO NOTHING;
        """;

    /// <summary>Switches the file to WAL and creates what is missing. Two agents starting at once serialise on
    /// the write lock; the loser finds everything in place.</summary>
    public static async Task InitializeAsync(SqliteConnectionSource connections, CancellationToken cancellationToken)
    {
        // journal_mode is stored in the file, but cannot change inside a transaction: set it on its own first.
        SqliteConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await UseIncrementalVacuumAsync(connection, cancellationToken).ConfigureAwait(false);
            using SqliteCommand wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL";
            object? mode = await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"SQLite refused write-ahead logging for {connection.DataSource} (journal mode stays '{mode}'); " +
                    "the data directory must be on a local file system");
            }
        }

        using StoreSession session = await StoreSession.BeginWriteAsync(connections, cancellationToken).ConfigureAwait(false);
        using (SqliteCommand create = session.Command(Tables))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await AddMissingColumnsAsync(session, cancellationToken).ConfigureAwait(false);
        long version = await ReadMetaAsync(session, SchemaVersionKey, cancellationToken).ConfigureAwait(false);
        if (version == 1)
        {
            // Version 2 only added the quarantine table, which the CREATE ... IF NOT EXISTS above just made.
            using SqliteCommand upgrade = session.Command("UPDATE meta SET value = $version WHERE key = $key").Bind("$version", Version)
                .Bind("$key", SchemaVersionKey);
            await upgrade.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            version = Version;
        }

        if (version != Version)
        {
            throw new InvalidOperationException(
                $"the store was written with schema version {version}; this build of underpool knows version {Version} only");
        }

        session.Commit();
    }

    /// <summary>auto_vacuum = INCREMENTAL, so the pages that mass releases free can go back to the file system
    /// (<see cref="StoreMaintenance"/> runs <c>PRAGMA incremental_vacuum</c>): without it the file keeps its largest size
    /// for good (84 % free pages after releasing 50,000 allocations). A new file takes the mode before its first
    /// table; a file from an earlier build is rewritten once by VACUUM, which is the only way to change the mode.</summary>
    /// <remarks>VACUUM needs room for a copy of the file. Where there is none (a full disk) the file stays as it is and
    /// the next start tries again: reclaiming space must never stop the agent from starting.</remarks>
    private static async Task UseIncrementalVacuumAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        const long Incremental = 2;
        if (await ScalarAsync(connection, "PRAGMA auto_vacuum", cancellationToken).ConfigureAwait(false) == Incremental)
        {
            return;
        }

        await ScalarAsync(connection, "PRAGMA auto_vacuum = INCREMENTAL", cancellationToken).ConfigureAwait(false);
        if (await ScalarAsync(connection, "SELECT count(*) FROM sqlite_schema", cancellationToken).ConfigureAwait(false) == 0)
        {
            return;
        }

        try
        {
            await ScalarAsync(connection, "VACUUM", cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (WriteRefusal.Describe(e) is not null || e.SqliteErrorCode == SQLitePCL.raw.SQLITE_BUSY)
        {
            // No room for the copy, or another agent kept the file busy: convert on a later start.
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long? ?? 0;
    }

    /// <summary>Columns added after schema version 1 shipped: a file written before them gets them with their
    /// defaults (an older build ignores them, so the version stays).</summary>
    private static async Task AddMissingColumnsAsync(StoreSession session, CancellationToken cancellationToken)
    {
        foreach (IGrouping<string, (string Table, string Column, string Definition)> table in AddedColumns.GroupBy(c => c.Table))
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            using (SqliteCommand info = session.Command($"SELECT name FROM pragma_table_info('{table.Key}')"))
            using (SqliteDataReader reader = await info.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    present.Add(reader.GetString(0));
                }
            }

            foreach ((string name, _, string definition) in table.Where(c => !present.Contains(c.Column)))
            {
                using SqliteCommand alter = session.Command($"ALTER TABLE {name} ADD COLUMN {definition}");
                await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("allocations", "static", "static INTEGER NOT NULL DEFAULT 0"),
        ("allocations", "runtime_container", "runtime_container TEXT"),
        ("allocations", "owner_kind", "owner_kind TEXT"),
        ("allocations", "owner_name", "owner_name TEXT"),
        ("allocations", "mac", "mac TEXT"),
        ("nodes", "uplink_macs", "uplink_macs TEXT NOT NULL DEFAULT '[]'"),
    ];

    public static async Task<long> ReadMetaAsync(StoreSession session, string key, CancellationToken cancellationToken)
    {
        using SqliteCommand command = session.Command("SELECT value FROM meta WHERE key = $key").Bind("$key", key);
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long number
            ? number
            : throw new InvalidOperationException($"the store has no '{key}': was InitializeAsync called?");
    }

    /// <summary>Moves the pools revision on and returns its new value (a created pool's generation).</summary>
    public static async Task<long> BumpPoolsRevisionAsync(StoreSession session, CancellationToken cancellationToken)
    {
        using SqliteCommand command = session.Command("UPDATE meta SET value = value + 1 WHERE key = $key RETURNING value")
            .Bind("$key", PoolsRevisionKey);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the store has no '{PoolsRevisionKey}': was InitializeAsync called?"));
    }
}
