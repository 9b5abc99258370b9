using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeOps.Gateway.Checkpoints;

/// <summary>
/// Durable key → JSON store for engine state (counters, current state, open shift accumulators, maintenance counters).
/// SQLite in WAL mode with full sync: a checkpoint that returned survives a power cut.
/// </summary>
public sealed class CheckpointStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsert;
    private readonly SqliteParameter _key;
    private readonly SqliteParameter _json;
    private readonly SqliteParameter _savedAt;

    public CheckpointStore(string path)
    {
        _connection = SqliteFile.Open(path, "WAL", "FULL");
        Execute("CREATE TABLE IF NOT EXISTS checkpoint (key TEXT PRIMARY KEY, json TEXT NOT NULL, saved_at TEXT NOT NULL);");

        _upsert = _connection.CreateCommand();
        _upsert.CommandText =
            "INSERT INTO checkpoint (key, json, saved_at) VALUES ($key, $json, $savedAt) " +
            "ON CONFLICT(key) DO UPDATE SET json = excluded.json, saved_at = excluded.saved_at;";
        _key = _upsert.Parameters.Add("$key", SqliteType.Text);
        _json = _upsert.Parameters.Add("$json", SqliteType.Text);
        _savedAt = _upsert.Parameters.Add("$savedAt", SqliteType.Text);
        _upsert.Prepare();
    }

    /// <summary>Writes several checkpoints in one transaction, so engine and maintenance state never disagree.</summary>
    public void Save(IEnumerable<KeyValuePair<string, string>> entries, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var transaction = _connection.BeginTransaction();
        _upsert.Transaction = transaction;
        foreach (var (key, json) in entries)
        {
            _key.Value = key;
            _json.Value = json;
            _savedAt.Value = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            _upsert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Save(string key, string json, DateTimeOffset at) => Save([new(key, json)], at);

    /// <summary>The last checkpoint saved under <paramref name="key"/>, or null.</summary>
    public (string Json, DateTimeOffset SavedAt)? Load(string key)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT json, saved_at FROM checkpoint WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? (reader.GetString(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
            : null;
    }

    /// <summary>Keeps a copy of a checkpoint that could not be restored, for the post-mortem.</summary>
    public void SetAside(string key, DateTimeOffset at)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "UPDATE checkpoint SET key = $newKey WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$newKey", $"{key}.unrestorable.{at.ToUnixTimeSeconds()}");
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql) => SqliteFile.Execute(_connection, sql);
}
