using System.Text;
using Microsoft.Data.Sqlite;

namespace EdgeOps.Ingest;

/// <summary>
/// <see cref="ISpillBuffer"/> in the outbox's file format: SQLite, WAL, <c>synchronous=FULL</c> (a batch whose append
/// returned survives a power cut), one row of the <c>outbox</c> table per spilled batch (topic <see cref="Topic"/>,
/// payload the UTF-8 lines joined by '\n'), removed as a unit once InfluxDB took it. The file holds only spilled
/// batches; it is never the gateway's <c>outbox.db</c>.
/// </summary>
/// <remarks>
/// Ingest does not reference the publisher (the historian must not carry the MQTT client and outbox), so the few
/// statements a spill buffer needs are here rather than borrowed from <c>OutboxStore</c>. The table keeps the outbox's
/// columns so that a <c>historian-buffer.db</c> written before ingest moved out of the publishing project is read and
/// drained as it is.
/// </remarks>
public sealed class OutboxSpillBuffer : ISpillBuffer
{
    /// <summary>The outbox topic of a spilled batch (never published: this file is not an MQTT outbox).</summary>
    public const string Topic = "$influx/lines";

    // The outbox's row kind for an event (MessageKind.Event): kept so the rows read the same as the outbox's.
    private const int EventKind = 0;

    private readonly SqliteConnection _connection;
    private readonly Queue<long> _ids = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private long _seq;

    /// <param name="path">The SQLite file (created with its folder).</param>
    /// <param name="time">The clock that stamps each spilled batch's creation time; the system clock when null.</param>
    public OutboxSpillBuffer(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _time = time ?? TimeProvider.System;
        _connection = SqliteFile.Open(path, "WAL", "FULL");
        SqliteFile.Execute(_connection, SqliteFile.OutboxTable);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, seq FROM outbox ORDER BY id;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _ids.Enqueue(reader.GetInt64(0));
            _seq = Math.Max(_seq, reader.GetInt64(1));
        }
    }

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _ids.Count;
            }
        }
    }

    public Task AppendAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        cancellationToken.ThrowIfCancellationRequested();
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO outbox(topic, seq, kind, retain, created_ms, payload) VALUES ($topic, $seq, $kind, 0, $created, $payload)
                RETURNING id;
                """;
            command.Parameters.AddWithValue("$topic", Topic);
            command.Parameters.AddWithValue("$seq", _seq + 1);
            command.Parameters.AddWithValue("$kind", EventKind);
            command.Parameters.AddWithValue("$created", _time.GetUtcNow().ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$payload", body);
            var id = (long)command.ExecuteScalar()!;
            _seq++;
            _ids.Enqueue(id);
        }

        return Task.CompletedTask;
    }

    public Task<SpilledBatch?> PeekAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_ids.TryPeek(out var id))
            {
                return Task.FromResult<SpilledBatch?>(null);
            }

            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT payload FROM outbox WHERE id = $id;";
            command.Parameters.AddWithValue("$id", id);
            var body = (byte[])command.ExecuteScalar()!;
            return Task.FromResult<SpilledBatch?>(new SpilledBatch(id, Encoding.UTF8.GetString(body).Split('\n')));
        }
    }

    public Task RemoveAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            using (var command = _connection.CreateCommand())
            {
                command.CommandText = "DELETE FROM outbox WHERE id = $id;";
                command.Parameters.AddWithValue("$id", id);
                command.ExecuteNonQuery();
            }

            if (_ids.TryPeek(out var first) && first == id)
            {
                _ids.Dequeue();
            }
            else if (_ids.Contains(id))
            {
                var rest = _ids.Where(x => x != id).ToArray();
                _ids.Clear();
                foreach (var x in rest)
                {
                    _ids.Enqueue(x);
                }
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }
}
