using System.Text;
using EdgeOps.Ingest.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.Ingest;
using EdgeOps.TestSupport.Influx;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Ingest.Tests.Influx;

/// <summary>
/// The pipeline without MQTT, as a gateway writing to an InfluxDB on the same device uses it: same mapping,
/// batching, dead letters and durable buffer. Own influxd, because the test stops it.
/// </summary>
public sealed class EdgeLocalSinkTests
{
    [Fact]
    public async Task Sink_WhenInfluxIsDown_ConfirmsOnlyOnceTheBatchIsInTheDurableBuffer_AndDrainsItWhenInfluxReturns()
    {
        await using var influxd = new InfluxV1Server();
        await influxd.StartAsync();
        await influxd.CreateDatabaseAsync("edge");
        using var dir = new TempDirectory();
        var options = new InfluxOptions
        {
            Api = InfluxApiVersion.V1,
            Url = influxd.Url,
            Database = "edge",
            RetryBudget = TimeSpan.FromMilliseconds(300),
            FlushInterval = TimeSpan.FromMilliseconds(200),
            RequestTimeout = TimeSpan.FromSeconds(2),
        };
        using var writer = new InfluxV1Writer(options);
        using var deadLetters = new DeadLetterFile(Path.Combine(dir.Path, "dead.jsonl"));
        using var buffer = new OutboxSpillBuffer(Path.Combine(dir.Path, "buffer.db"));
        var batchWriter = new InfluxBatchWriter(writer, deadLetters, TimeProvider.System, NullLogger.Instance);
        var mapper = new ContractLineMapper(deadLetters, TimeProvider.System, NullLogger.Instance);
        using var ingest = new InfluxIngest(batchWriter, buffer, mapper, options, new InfluxIngestLimits { MaxDrainBackoff = TimeSpan.FromMilliseconds(500) },
            TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = ingest.RunAsync(stop.Token);

        await influxd.StopAsync();
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var payload = Encoding.UTF8.GetBytes("""{"schema":"edgeops.counts/1","seq":5,"ts":"2026-11-26T06:00:00.123Z","machine":"pi1","shift":{"total":12,"good":11,"reject":1}}""");
        await ingest.EnqueueAsync("edgeops/v1/plant/area/line/pi1/counts", payload, _ =>
        {
            durable.TrySetResult();
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        await durable.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, buffer.Count);
        Assert.Equal(0, mapper.Invalid);

        await influxd.StartAsync();
        await Eventually.HoldsAsync(async () =>
        {
            var rows = await influxd.QueryAsync("SELECT shift_good FROM counts WHERE machine = 'pi1'", "edge");
            return (rows.Count == 1 && buffer.Count == 0, $"{rows.Count} series, {buffer.Count} buffered");
        }, TimeSpan.FromSeconds(30));
        var series = Assert.Single(await influxd.QueryAsync("SELECT shift_good FROM counts WHERE machine = 'pi1'", "edge"));
        Assert.Equal(1_795_672_800_123, series.Value(0, "time").GetInt64());
        Assert.Equal(11, series.Value(0, "shift_good").GetDouble());

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task SpillBuffer_KeepsBatchesAcrossReopen_InOrder()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "buffer.db");
        using (var buffer = new OutboxSpillBuffer(path))
        {
            await buffer.AppendAsync(["a 1", "a 2"], CancellationToken.None);
            await buffer.AppendAsync(["b 1"], CancellationToken.None);
        }

        using var reopened = new OutboxSpillBuffer(path);
        Assert.Equal(2, reopened.Count);
        var first = await reopened.PeekAsync(CancellationToken.None);
        Assert.Equal(["a 1", "a 2"], first!.Lines);
        await reopened.RemoveAsync(first.Id, CancellationToken.None);
        Assert.Equal(["b 1"], (await reopened.PeekAsync(CancellationToken.None))!.Lines);
        Assert.Equal(1, reopened.Count);
    }

    [Fact]
    public async Task SpillBuffer_IsTheOutboxStorage_OneOutboxRowPerBatch()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "buffer.db");
        using (var buffer = new OutboxSpillBuffer(path))
        {
            await buffer.AppendAsync(["m,a=b f=1 1", "m,a=b f=2 2"], CancellationToken.None);
        }

        // Read the file as the outbox's own table, with SQLite itself: same schema, same durability settings.
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT topic, kind, CAST(payload AS TEXT) FROM outbox ORDER BY id;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(OutboxSpillBuffer.Topic, reader.GetString(0));
        Assert.Equal(0, reader.GetInt32(1));
        Assert.Equal("m,a=b f=1 1\nm,a=b f=2 2", reader.GetString(2));
        Assert.False(reader.Read());
        using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
    }

    [Fact]
    public async Task Ingest_WithSeveralBatchesInFlight_ConfirmsEveryMessageOnce_InEnqueueOrder_AfterItsPointsAreInInflux()
    {
        await using var influxd = new InfluxV1Server();
        await influxd.StartAsync();
        await influxd.CreateDatabaseAsync("edge");
        using var dir = new TempDirectory();
        // Small batches, four in flight: batches finish out of order, the confirmations must not.
        var options = new InfluxOptions { Api = InfluxApiVersion.V1, Url = influxd.Url, Database = "edge", BatchSize = 40, WritesInFlight = 4 };
        using var writer = new InfluxV1Writer(options);
        using var deadLetters = new DeadLetterFile(Path.Combine(dir.Path, "dead.jsonl"));
        using var buffer = new OutboxSpillBuffer(Path.Combine(dir.Path, "buffer.db"));
        var mapper = new ContractLineMapper(deadLetters, TimeProvider.System, NullLogger.Instance);
        using var ingest = new InfluxIngest(new InfluxBatchWriter(writer, deadLetters, TimeProvider.System, NullLogger.Instance), buffer, mapper,
            options, new InfluxIngestLimits(), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = ingest.RunAsync(stop.Token);

        const int Messages = 2000;
        var confirmed = new List<int>();
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Messages; i++)
        {
            var index = i;
            var ts = t0.AddMilliseconds(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var payload = Encoding.UTF8.GetBytes($$$"""{"schema":"edgeops.counts/1","seq":{{{i}}},"ts":"{{{ts}}}","machine":"m{{{i % 7}}}","shift":{"good":{{{i}}}}}""");
            // Every 500th message does not map: it is dead-lettered, and still confirmed in its place.
            var topic = i % 500 == 499 ? $"edgeops/v1/plant/area/line/m{i % 7}/nonsense" : $"edgeops/v1/plant/area/line/m{i % 7}/counts";
            await ingest.EnqueueAsync(topic, payload, _ =>
            {
                lock (confirmed)
                {
                    confirmed.Add(index);
                }

                return ValueTask.CompletedTask;
            }, CancellationToken.None);
        }

        await Eventually.HoldsAsync(() =>
        {
            lock (confirmed)
            {
                return Task.FromResult((confirmed.Count == Messages, $"{confirmed.Count} confirmed"));
            }
        }, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running;

        Assert.Equal(Enumerable.Range(0, Messages), confirmed);
        Assert.Equal(4, mapper.Invalid);
        Assert.Equal(Messages - 4, ingest.Written);
        var rows = (await influxd.QueryAsync("SELECT count(shift_good) FROM counts", "edge")).Single();
        Assert.Equal(Messages - 4, rows.Value(0, "count").GetInt64());
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir.Path, "dead.jsonl")).Length);
    }
}
