using Microsoft.Data.Sqlite;

namespace EdgeOps.Publishing.Influx;

/// <summary>
/// <see cref="ISpillBuffer"/> in SQLite (WAL, synchronous=FULL so an acknowledged batch survives a power cut).
/// One row per batch: a batch is at most a few thousand lines, written and removed as a unit.
/// </summary>
public sealed class SqliteSpillBuffer : ISpillBuffer
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _count;

    public SqliteSpillBuffer(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("CREATE TABLE IF NOT EXISTS spill (id INTEGER PRIMARY KEY AUTOINCREMENT, lines INTEGER NOT NULL, body TEXT NOT NULL);");
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM spill;";
        _count = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public long Count => Interlocked.Read(ref _count);

    public async Task AppendAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO spill (lines, body) VALUES ($lines, $body);";
            command.Parameters.AddWithValue("$lines", lines.Count);
            command.Parameters.AddWithValue("$body", string.Join('\n', lines));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<SpilledBatch?> PeekAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, body FROM spill ORDER BY id LIMIT 1;";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new SpilledBatch(reader.GetInt64(0), reader.GetString(1).Split('\n'));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveAsync(long id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM spill WHERE id = $id;";
            command.Parameters.AddWithValue("$id", id);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                Interlocked.Decrement(ref _count);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
