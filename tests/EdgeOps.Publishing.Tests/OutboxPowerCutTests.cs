using EdgeOps.Publishing.Outbox;
using EdgeOps.Publishing.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Tests;

/// <summary>
/// Seqs across a power cut, simulated on the files: the outbox commits with synchronous=NORMAL, so the worst a power cut
/// does to it is lose its WAL (every commit since the last checkpoint); the seq ceilings file commits with
/// synchronous=FULL, so it keeps what it committed. Each test copies exactly that surviving state while the outbox is
/// still open (the process never got to stop), and records a different kernel boot id in the copy (the machine rebooted).
/// What this cannot show: that the disk honours fsync; that is SQLite's and the hardware's part.
/// </summary>
public sealed class OutboxPowerCutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeops-powercut-").FullName;
    private readonly CapturingLoggerFactory _logs = new();
    private readonly EdgeOps.Contract.MachineTopics _machine = Samples.Machine();

    [Fact]
    public void PowerCutLosingTheUnsyncedWal_TopicSeqRollsBack_NextSeqStaysAboveEverySeqHandedOut()
    {
        var live = Options("live");
        var outbox = Open(live);
        for (var i = 1; i <= 5; i++)
        {
            outbox.Enqueue(Samples.Event(_machine, i));
        }

        // Seqs 1-5 reach the database file (a checkpoint); 6-10 stay in the WAL, which the power cut loses.
        Checkpoint(live.Path);
        for (var i = 6; i <= 10; i++)
        {
            Assert.Equal(i, outbox.Enqueue(Samples.Event(_machine, i)));
        }

        var cut = CopySurvivors(live, "after-cut", withWal: false, rebooted: true);
        outbox.Dispose();

        // The simulation did roll the outbox's own numbering back: without the ceilings, seq 6 would come again.
        Assert.Equal(5, StoredSeq(cut.Path, _machine.Events));
        using var after = Open(cut);
        var next = after.Enqueue(Samples.Event(_machine, 11));
        Assert.True(next > 10, $"seq {next} after the power cut repeats one handed out before it (1-10)");
        Assert.InRange(next, 11, 11 + SeqCeilings.Block);
    }

    [Fact]
    public void Sigkill_SameBoot_NextSeqFollowsWithoutAGap()
    {
        var live = Options("live");
        var outbox = Open(live);
        for (var i = 1; i <= 10; i++)
        {
            outbox.Enqueue(Samples.Event(_machine, i));
        }

        // A crash without a reboot: the OS still had every commit, WAL included.
        var crashed = CopySurvivors(live, "after-kill", withWal: true, rebooted: false);
        outbox.Dispose();
        using var after = Open(crashed);
        Assert.Equal(11, after.Enqueue(Samples.Event(_machine, 11)));
    }

    [Fact]
    public void GracefulStop_ThenReboot_NextSeqFollowsWithoutAGap()
    {
        var options = Options("graceful");
        using (var outbox = Open(options))
        {
            for (var i = 1; i <= 10; i++)
            {
                outbox.Enqueue(Samples.Event(_machine, i));
            }
        }

        SetBootId(options.Path + ".seq", "boot-before-the-reboot");
        using var after = Open(options);
        Assert.Equal(11, after.Enqueue(Samples.Event(_machine, 11)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void SeqCeilingsFileUnreadable_OpenFails_QueueFileClosedAndNothingLost()
    {
        var options = Options("unreadable-ceilings");
        using (var outbox = Open(options))
        {
            outbox.Enqueue(Samples.Event(_machine, 1));
        }

        // Something that is not an SQLite file where the ceilings live: the open must fail, and must not leave the queue's
        // connection open (SQLite removes the WAL when the last connection closes).
        File.Delete(options.Path + ".seq");
        Directory.CreateDirectory(options.Path + ".seq");
        Assert.ThrowsAny<Exception>(() => Open(options));
        Assert.False(File.Exists(options.Path + "-wal"), "the failed open left the outbox file's connection open");

        Directory.Delete(options.Path + ".seq");
        using var after = Open(options);
        Assert.Equal(1, after.Count);
    }

    private OutboxOptions Options(string name)
    {
        var directory = Path.Combine(_directory, name);
        Directory.CreateDirectory(directory);
        return new OutboxOptions { Path = Path.Combine(directory, "outbox.db"), ReplayRatePerSecond = 0 };
    }

    /// <summary>What is on the disk after the cut: the outbox file (and its WAL only when asked) and the ceilings file.</summary>
    private OutboxOptions CopySurvivors(OutboxOptions live, string name, bool withWal, bool rebooted)
    {
        var copy = Options(name);
        File.Copy(live.Path, copy.Path);
        if (withWal)
        {
            File.Copy(live.Path + "-wal", copy.Path + "-wal");
        }

        File.Copy(live.Path + ".seq", copy.Path + ".seq");
        if (rebooted)
        {
            SetBootId(copy.Path + ".seq", "boot-before-the-cut");
        }

        return copy;
    }

    private static void Checkpoint(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(FULL);";
        command.ExecuteNonQuery();
    }

    private static long StoredSeq(string path, string topic)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM topic_seq WHERE topic = $t;";
        command.Parameters.AddWithValue("$t", topic);
        return command.ExecuteScalar() is long value ? value : 0;
    }

    private static void SetBootId(string seqFile, string bootId)
    {
        using var connection = new SqliteConnection($"Data Source={seqFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE meta SET value = $b WHERE key = 'boot_id';";
        command.Parameters.AddWithValue("$b", bootId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private DurableOutbox Open(OutboxOptions options) =>
        new(options, "gw-powercut", TimeProvider.System, _logs.CreateLogger<DurableOutbox>());
}
