using Microsoft.Data.Sqlite;

namespace EdgeOps;

/// <summary>
/// Opening the SQLite files the products keep (outbox, sequence ceilings, request log, checkpoints, the historian's
/// spill buffer) one way: the folder made, no pooling (each file has one owner that holds its connection open), the
/// journal and sync mode its durability needs.
/// </summary>
/// <remarks>Linked as source into each project that keeps a file (one small class; the historian must not reference Publishing).</remarks>
internal static class SqliteFile
{
    /// <summary>
    /// The outbox table: the gateway's outbox and the historian's spill buffer store their rows in it alike, so one
    /// reader (and one person with <c>sqlite3</c>) reads both.
    /// </summary>
    public const string OutboxTable = """
        CREATE TABLE IF NOT EXISTS outbox(
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          topic TEXT NOT NULL,
          seq INTEGER NOT NULL,
          kind INTEGER NOT NULL,
          retain INTEGER NOT NULL,
          created_ms INTEGER NOT NULL,
          payload BLOB NOT NULL);
        """;

    /// <summary>
    /// Opens <paramref name="path"/> (creating it and its folder), or a private in-memory database when it is null, and
    /// sets <c>journal_mode</c> and <c>synchronous</c> (e.g. <c>"WAL"</c>, <c>"FULL"</c>).
    /// </summary>
    public static SqliteConnection Open(string? path, string journalMode, string synchronous)
    {
        if (path is not null)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path ?? ":memory:",
            Mode = path is null ? SqliteOpenMode.Memory : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA journal_mode={journalMode}; PRAGMA synchronous={synchronous};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="sql"/> (one or more statements) for its effect.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
