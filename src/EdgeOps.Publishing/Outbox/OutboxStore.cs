using Microsoft.Data.Sqlite;

namespace EdgeOps.Publishing.Outbox;

/// <summary>
/// The SQLite file behind the outbox: the queued messages and each topic's last seq, changed together in one
/// transaction so a seq is never handed out twice, even across a SIGKILL.
/// </summary>
/// <remarks>
/// Not thread-safe on the write side: the outbox serialises writers. Payload reads (<see cref="LoadPayloads"/>) use a
/// second connection of their own, so a replay reading rows back never waits for a commit (WAL readers see committed
/// rows only, which is all the outbox ever asks for).
/// </remarks>
internal sealed class OutboxStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteConnection _reader;
    private readonly SQLitePCL.sqlite3_stmt _rawInsert;
    private readonly SqliteCommand _upsertSeq;
    private readonly SqliteCommand _delete;
    private readonly SqliteParameter _deleteId;
    private readonly SqliteCommand _deleteRange;
    private readonly SqliteCommand _loadPayloads;
    private readonly object _readGate = new();
    private readonly SqliteConnection _checkpointer;
    private readonly object _checkpointGate = new();
    private bool _closed;
    private string? _lastTopic;
    private byte[] _lastTopicUtf8 = [];

    public OutboxStore(string path, bool syncEveryCommit)
    {
        _connection = SqliteFile.Open(path, "WAL", syncEveryCommit ? "FULL" : "NORMAL");
        // Checkpoints (which fsync) are run by Checkpoint() on a connection of their own, off the writers' path; the
        // automatic one inside a commit stays only as a backstop (64 MiB of WAL) for an outbox nobody flushes.
        Execute("PRAGMA wal_autocheckpoint=16384;");
        Execute(SqliteFile.OutboxTable);
        Execute("""
            CREATE TABLE IF NOT EXISTS topic_seq(
              topic TEXT PRIMARY KEY,
              value INTEGER NOT NULL);
            """);

        // The per-row INSERT of the hot path, prepared once and bound by index through the native API: through SqliteCommand
        // every execution looks each parameter up by name and creates a reader, several µs per row.
        Check(SQLitePCL.raw.sqlite3_prepare_v2(_connection.Handle,
            "INSERT INTO outbox(topic, seq, kind, retain, created_ms, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6);", out _rawInsert));

        _upsertSeq = _connection.CreateCommand();
        _upsertSeq.CommandText = "INSERT INTO topic_seq(topic, value) VALUES ($t, $v) ON CONFLICT(topic) DO UPDATE SET value = excluded.value;";
        _upsertSeq.Parameters.Add(new SqliteParameter { ParameterName = "$t" });
        _upsertSeq.Parameters.Add(new SqliteParameter { ParameterName = "$v" });

        _delete = _connection.CreateCommand();
        _delete.CommandText = "DELETE FROM outbox WHERE id = $id;";
        _deleteId = new SqliteParameter { ParameterName = "$id" };
        _delete.Parameters.Add(_deleteId);

        _deleteRange = _connection.CreateCommand();
        _deleteRange.CommandText = "DELETE FROM outbox WHERE id BETWEEN $a AND $b;";
        _deleteRange.Parameters.Add(new SqliteParameter { ParameterName = "$a" });
        _deleteRange.Parameters.Add(new SqliteParameter { ParameterName = "$b" });

        _reader = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        _reader.Open();
        _checkpointer = new SqliteConnection(_reader.ConnectionString);
        _checkpointer.Open();
        _loadPayloads = _reader.CreateCommand();
        _loadPayloads.CommandText = "SELECT id, payload FROM outbox WHERE id BETWEEN $a AND $b;";
        _loadPayloads.Parameters.Add(new SqliteParameter { ParameterName = "$a" });
        _loadPayloads.Parameters.Add(new SqliteParameter { ParameterName = "$b" });
    }

    public Dictionary<string, long> LoadSeqs()
    {
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT topic, value FROM topic_seq;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            seqs[reader.GetString(0)] = reader.GetInt64(1);
        }

        return seqs;
    }

    /// <summary>Every queued message in order, without payloads (they are read back in batches when sent).</summary>
    public List<OutboxEntry> LoadEntries()
    {
        var entries = new List<OutboxEntry>();
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, topic, seq, kind, retain, created_ms, length(payload) FROM outbox ORDER BY id;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var topic = reader.GetString(1);
            entries.Add(new OutboxEntry
            {
                Id = reader.GetInt64(0),
                Topic = topic,
                Seq = reader.GetInt64(2),
                Kind = (MessageKind)reader.GetInt32(3),
                Retain = reader.GetInt32(4) != 0,
                CreatedUnixMs = reader.GetInt64(5),
                Size = OutboxEntry.SizeOf(topic, reader.GetInt32(6)),
            });
        }

        return entries;
    }

    /// <summary>Writes a batch and the topics' new seqs in one transaction; returns the row ids in order.</summary>
    public long[] Insert(IReadOnlyList<(string Topic, long Seq, MessageKind Kind, bool Retain, long CreatedMs, byte[] Payload)> rows,
        IEnumerable<KeyValuePair<string, long>> seqUpdates, IReadOnlyCollection<long> deletions)
    {
        using var transaction = _connection.BeginTransaction();
        _upsertSeq.Transaction = transaction;
        _delete.Transaction = transaction;
        foreach (var id in deletions)
        {
            _deleteId.Value = id;
            _delete.ExecuteNonQuery();
        }

        var ids = new long[rows.Count];
        var stmt = _rawInsert;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            try
            {
                Check(SQLitePCL.raw.sqlite3_bind_text(stmt, 1, TopicUtf8(row.Topic)));
                Check(SQLitePCL.raw.sqlite3_bind_int64(stmt, 2, row.Seq));
                Check(SQLitePCL.raw.sqlite3_bind_int(stmt, 3, (int)row.Kind));
                Check(SQLitePCL.raw.sqlite3_bind_int(stmt, 4, row.Retain ? 1 : 0));
                Check(SQLitePCL.raw.sqlite3_bind_int64(stmt, 5, row.CreatedMs));
                Check(SQLitePCL.raw.sqlite3_bind_blob(stmt, 6, row.Payload));
                var rc = SQLitePCL.raw.sqlite3_step(stmt);
                if (rc != SQLitePCL.raw.SQLITE_DONE)
                {
                    Check(rc);
                }

                // The id without a RETURNING reader per row: writers are serialised, so this is our row's.
                ids[i] = SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);
            }
            finally
            {
                SQLitePCL.raw.sqlite3_reset(stmt);
            }
        }

        foreach (var (topic, value) in seqUpdates)
        {
            _upsertSeq.Parameters[0].Value = topic;
            _upsertSeq.Parameters[1].Value = value;
            _upsertSeq.ExecuteNonQuery();
        }

        transaction.Commit();
        return ids;
    }

    /// <summary>
    /// The topic as UTF-8 for the INSERT, kept while the next row has the same topic: binding the string converts it
    /// afresh for every row (an array each), and a batch of the Sparkplug session's is all one topic.
    /// </summary>
    private ReadOnlySpan<byte> TopicUtf8(string topic)
    {
        if (!ReferenceEquals(topic, _lastTopic))
        {
            _lastTopicUtf8 = System.Text.Encoding.UTF8.GetBytes(topic);
            _lastTopic = topic;
        }

        return _lastTopicUtf8;
    }

    /// <summary>Sets a topic's last seq without queueing anything (reserved numbers).</summary>
    public void SaveSeq(string topic, long value)
    {
        using var transaction = _connection.BeginTransaction();
        _upsertSeq.Transaction = transaction;
        _upsertSeq.Parameters[0].Value = topic;
        _upsertSeq.Parameters[1].Value = value;
        _upsertSeq.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>
    /// Deletes the rows in one transaction. Acknowledgements come mostly in id order, so the ids are sorted and each run of
    /// consecutive ids is one range delete (ids are never reused: AUTOINCREMENT). Sorts <paramref name="ids"/> in place.
    /// </summary>
    public void Delete(List<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        ids.Sort();
        using var transaction = _connection.BeginTransaction();
        _delete.Transaction = transaction;
        _deleteRange.Transaction = transaction;
        var start = 0;
        for (var i = 1; i <= ids.Count; i++)
        {
            if (i < ids.Count && ids[i] <= ids[i - 1] + 1)
            {
                continue;
            }

            if (i - 1 == start)
            {
                _deleteId.Value = ids[start];
                _delete.ExecuteNonQuery();
            }
            else
            {
                _deleteRange.Parameters[0].Value = ids[start];
                _deleteRange.Parameters[1].Value = ids[i - 1];
                _deleteRange.ExecuteNonQuery();
            }

            start = i;
        }

        transaction.Commit();
    }

    /// <summary>Payloads of rows with ids in [from, to], read on the second connection.</summary>
    public Dictionary<long, byte[]> LoadPayloads(long fromId, long toId)
    {
        lock (_readGate)
        {
            var payloads = new Dictionary<long, byte[]>();
            _loadPayloads.Parameters[0].Value = fromId;
            _loadPayloads.Parameters[1].Value = toId;
            using var reader = _loadPayloads.ExecuteReader();
            while (reader.Read())
            {
                payloads[reader.GetInt64(0)] = (byte[])reader.GetValue(1);
            }

            return payloads;
        }
    }

    /// <summary>
    /// Copies committed WAL pages into the database file (PASSIVE: never waits for, nor blocks, the writer or readers).
    /// Called periodically from the publisher's flush loop, on a connection of its own.
    /// </summary>
    public void Checkpoint()
    {
        lock (_checkpointGate)
        {
            if (_closed)
            {
                return;
            }

            using var command = _checkpointer.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        SQLitePCL.raw.sqlite3_finalize(_rawInsert);
        lock (_checkpointGate)
        {
            _closed = true;
            _checkpointer.Dispose();
        }

        _upsertSeq.Dispose();
        _delete.Dispose();
        _deleteRange.Dispose();
        lock (_readGate)
        {
            _loadPayloads.Dispose();
            _reader.Dispose();
        }

        _connection.Dispose();
    }

    private void Check(int rc)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    private void Execute(string sql) => SqliteFile.Execute(_connection, sql);
}
