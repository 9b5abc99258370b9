using Microsoft.Data.Sqlite;

namespace EdgeOps.Publishing.Outbox;

/// <summary>
/// Keeps per-topic seqs monotonic across a power cut without fsyncing every outbox commit: before a seq is handed out,
/// a ceiling at or above it is committed durably (synchronous=FULL, rollback journal) in a small file of its own next
/// to the outbox, in blocks of <see cref="Block"/>, so a fsync costs once per block per topic.
/// </summary>
/// <remarks>
/// The outbox itself commits with synchronous=NORMAL: a process crash loses nothing (the OS still holds the WAL), a power
/// cut can roll its <c>topic_seq</c> back. So at start: when the kernel's boot id is the one recorded with the last
/// reservation, there was no reboot and the outbox's own seqs are exact (no gap after a crash or SIGKILL); after a
/// reboot each topic resumes above the larger of the two, which is above every seq ever handed out (a gap of at most
/// one block marks where commits may have been lost). A graceful stop lowers the ceilings to the exact seqs, so a
/// clean restart, even after a reboot, has no gap. A separate file and not a table of the outbox, so a test can throw
/// away the outbox's unsynced WAL (the worst a power cut does) and keep exactly what was made durable.
/// </remarks>
internal sealed class SeqCeilings : IDisposable
{
    /// <summary>Seqs reserved per durable write.</summary>
    public const long Block = 1000;

    private const string BootIdFile = "/proc/sys/kernel/random/boot_id";

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, long> _ceilings = new(StringComparer.Ordinal);
    private readonly string _bootId;

    public SeqCeilings(string path)
    {
        Path = path;
        _bootId = ReadBootId();
        _connection = SqliteFile.Open(path, "DELETE", "FULL");
        Execute("""
            CREATE TABLE IF NOT EXISTS ceiling(topic TEXT PRIMARY KEY, value INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT topic, value FROM ceiling;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                _ceilings[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT value FROM meta WHERE key = 'boot_id';";
            RecordedBootId = command.ExecuteScalar() as string;
        }
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The boot id recorded with the last reservation (null in a new file).</summary>
    public string? RecordedBootId { get; }

    /// <summary>True when the machine has not rebooted since the last reservation: the outbox's own seqs are then exact.</summary>
    public bool SameBoot => RecordedBootId is not null && RecordedBootId == _bootId;

    /// <summary>
    /// Brings the outbox's loaded seqs up to where numbering may resume: unchanged within the same boot, otherwise
    /// raised to each topic's ceiling.
    /// </summary>
    public void Resume(Dictionary<string, long> seqs)
    {
        if (SameBoot)
        {
            return;
        }

        foreach (var (topic, ceiling) in _ceilings)
        {
            if (ceiling > seqs.GetValueOrDefault(topic))
            {
                seqs[topic] = ceiling;
            }
        }
    }

    /// <summary>
    /// Makes sure every seq in <paramref name="lastSeqs"/> is covered by a durable ceiling; commits (with fsync) the
    /// topics that are not, a block ahead. Throws when it cannot write: the caller must then not use those seqs.
    /// </summary>
    public void Cover(IEnumerable<KeyValuePair<string, long>> lastSeqs)
    {
        List<KeyValuePair<string, long>>? raise = null;
        foreach (var (topic, last) in lastSeqs)
        {
            if (last > _ceilings.GetValueOrDefault(topic))
            {
                (raise ??= []).Add(new(topic, last + Block));
            }
        }

        if (raise is not null)
        {
            Save(raise);
        }
    }

    /// <summary>
    /// At a graceful stop: sets every ceiling to the exact last seq (the next start, after a reboot too, resumes without a
    /// gap). Safe whatever happens to the outbox's last commits: a ceiling equal to the last seq handed out is still above
    /// every seq handed out.
    /// </summary>
    public void Lower(IReadOnlyDictionary<string, long> exact)
    {
        var lowered = new List<KeyValuePair<string, long>>();
        foreach (var (topic, ceiling) in _ceilings)
        {
            var last = exact.GetValueOrDefault(topic);
            if (last < ceiling)
            {
                lowered.Add(new(topic, last));
            }
        }

        if (lowered.Count > 0)
        {
            Save(lowered);
        }
    }

    public void Dispose() => _connection.Dispose();

    private void Save(List<KeyValuePair<string, long>> values)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = _connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT INTO ceiling(topic, value) VALUES ($t, $v) ON CONFLICT(topic) DO UPDATE SET value = excluded.value;";
        var topic = upsert.Parameters.Add("$t", SqliteType.Text);
        var value = upsert.Parameters.Add("$v", SqliteType.Integer);
        foreach (var (t, v) in values)
        {
            topic.Value = t;
            value.Value = v;
            upsert.ExecuteNonQuery();
        }

        using var boot = _connection.CreateCommand();
        boot.Transaction = transaction;
        boot.CommandText = "INSERT INTO meta(key, value) VALUES ('boot_id', $b) ON CONFLICT(key) DO UPDATE SET value = excluded.value;";
        boot.Parameters.AddWithValue("$b", _bootId);
        boot.ExecuteNonQuery();
        transaction.Commit();
        foreach (var (t, v) in values)
        {
            _ceilings[t] = v;
        }
    }

    /// <summary>The kernel's id of this boot; a fresh random one where there is none (each start then counts as a reboot).</summary>
    private static string ReadBootId()
    {
        try
        {
            return File.ReadAllText(BootIdFile).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Guid.NewGuid().ToString();
        }
    }

    private void Execute(string sql) => SqliteFile.Execute(_connection, sql);
}
