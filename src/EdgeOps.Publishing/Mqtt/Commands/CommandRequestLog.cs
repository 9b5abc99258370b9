using Microsoft.Data.Sqlite;

namespace EdgeOps.Publishing.Mqtt.Commands;

/// <summary>
/// The request ids of applied commands, kept for <see cref="CommandOptions.RequestRetention"/> in a small SQLite file
/// (synchronous FULL: a command is rare and its record must survive a power cut), so a redelivered command, from the
/// broker's persistent session after a gateway kill or from a sender retrying, is answered again and not applied twice.
/// </summary>
/// <remarks>Thread-safe: every call takes one lock (commands arrive one at a time).</remarks>
public sealed class CommandRequestLog : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeSpan _retention;
    private readonly object _gate = new();

    /// <summary>Opens or creates the file at <paramref name="path"/> (null: in memory, forgotten at exit).</summary>
    public CommandRequestLog(string? path, TimeSpan retention)
    {
        _retention = retention;
        _connection = SqliteFile.Open(path, "WAL", "FULL");
        Execute("CREATE TABLE IF NOT EXISTS applied(key TEXT PRIMARY KEY, applied_ms INTEGER NOT NULL, user TEXT);");
    }

    /// <summary>The earlier application of <paramref name="key"/> within the retention before <paramref name="now"/>, or null.</summary>
    public AppliedRequest? Find(string key, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT applied_ms, user FROM applied WHERE key = $k AND applied_ms >= $since;";
            command.Parameters.AddWithValue("$k", key);
            command.Parameters.AddWithValue("$since", (now - _retention).ToUnixTimeMilliseconds());
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new AppliedRequest(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.IsDBNull(1) ? null : reader.GetString(1))
                : null;
        }
    }

    /// <summary>Records <paramref name="key"/> as applied (durable when this returns) and forgets entries past the retention.</summary>
    public void Record(string key, AppliedRequest applied, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(applied);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                DELETE FROM applied WHERE applied_ms < $since;
                INSERT INTO applied(key, applied_ms, user) VALUES ($k, $t, $u)
                  ON CONFLICT(key) DO UPDATE SET applied_ms = excluded.applied_ms, user = excluded.user;
                """;
            command.Parameters.AddWithValue("$since", (now - _retention).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$k", key);
            command.Parameters.AddWithValue("$t", applied.AppliedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$u", (object?)applied.User ?? DBNull.Value);
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void Execute(string sql) => SqliteFile.Execute(_connection, sql);
}

/// <summary>When a request was applied, and by which authenticated user (null when the broker did not say).</summary>
public sealed record AppliedRequest(DateTimeOffset AppliedAt, string? User);
