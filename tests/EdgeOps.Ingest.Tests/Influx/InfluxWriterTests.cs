using EdgeOps.Ingest.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Ingest.Tests.Influx;

[Collection(InfluxServersCollection.Name)]
public sealed class InfluxWriterTests(InfluxServersFixture servers)
{
    private static InfluxOptions V1Options(Uri url, string database) => new()
    {
        Api = InfluxApiVersion.V1,
        Url = url,
        Database = database,
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task V1Writer_Points_ReadBackWithInfluxQl_WithExactValuesAndTimestamps()
    {
        var database = await servers.NewDatabaseAsync();
        using var writer = new InfluxV1Writer(V1Options(servers.Influxd.Url, database));
        var lines = new[]
        {
            new InfluxPoint("kpi", [new("machine", "m 1"), new("site", "s,1")], [new("oee", InfluxFieldValue.FromDouble(0.123456789012345))], 1_795_676_400_001_000_000).ToLineProtocol(),
            new InfluxPoint("kpi", [new("machine", "m 1"), new("site", "s,1")], [new("oee", InfluxFieldValue.FromDouble(-1e-9))], 1_795_676_400_002_000_000).ToLineProtocol(),
        };

        var outcome = await writer.WriteAsync(lines, CancellationToken.None);

        Assert.Equal(InfluxWriteStatus.Accepted, outcome.Status);
        var series = Assert.Single(await servers.Influxd.QueryAsync("SELECT oee, machine, site FROM kpi", database));
        Assert.Equal(2, series.Rows.Count);
        Assert.Equal(1_795_676_400_001, series.Value(0, "time").GetInt64());
        Assert.Equal(0.123456789012345, series.Value(0, "oee").GetDouble());
        Assert.Equal(1_795_676_400_002, series.Value(1, "time").GetInt64());
        Assert.Equal(-1e-9, series.Value(1, "oee").GetDouble());
        Assert.Equal("m 1", series.Value(0, "machine").GetString());
        Assert.Equal("s,1", series.Value(0, "site").GetString());
    }

    [Fact]
    public async Task BatchWriter_WhenInfluxRejectsOneLine_DeadLettersItWithTheReason_AndWritesTheRest()
    {
        var database = await servers.NewDatabaseAsync();
        // A field written as a string first makes a later float a type conflict: 400, like a malformed line.
        await servers.Influxd.WriteAsync(database, "kpi,machine=x state=\"up\" 1795676399000000000\n");
        using var dir = new TempDirectory();
        using var deadLetters = new DeadLetterFile(Path.Combine(dir.Path, "dead.jsonl"));
        using var writer = new InfluxV1Writer(V1Options(servers.Influxd.Url, database));
        var batchWriter = new InfluxBatchWriter(writer, deadLetters, TimeProvider.System, NullLogger.Instance);
        var lines = Enumerable.Range(0, 10)
            .Select(i => $"kpi,machine=m oee={i}.5 {1_795_676_400_000_000_000 + (i * 1_000_000L)}")
            .ToList();
        lines.Insert(3, "kpi,machine=m this is not line protocol");
        lines.Insert(7, "kpi,machine=x state=2.5 1795676400500000000");

        var result = await batchWriter.WriteAsync(lines, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.False(result.Unavailable);
        Assert.Equal(2, result.DeadLettered);
        Assert.Equal(10, result.Written);
        var series = Assert.Single(await servers.Influxd.QueryAsync("SELECT oee FROM kpi WHERE machine = 'm'", database));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i + 0.5), series.Rows.Select(r => r[1].GetDouble()));
        var dead = await File.ReadAllLinesAsync(deadLetters.Path);
        Assert.Equal(2, dead.Length);
        Assert.Contains("this is not line protocol", dead[0], StringComparison.Ordinal);
        Assert.Contains("unable to parse", dead[0], StringComparison.Ordinal);
        Assert.Contains("state=2.5", dead[1], StringComparison.Ordinal);
        Assert.Contains("conflict", dead[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchWriter_WhenNothingListens_ReportsUnavailable_AfterItsRetryBudget()
    {
        using var dir = new TempDirectory();
        using var deadLetters = new DeadLetterFile(Path.Combine(dir.Path, "dead.jsonl"));
        var port = EdgeOps.TestSupport.Processes.FreePort.Next();
        using var writer = new InfluxV1Writer(V1Options(new Uri($"http://127.0.0.1:{port}/"), "x"));
        var batchWriter = new InfluxBatchWriter(writer, deadLetters, TimeProvider.System, NullLogger.Instance);

        var result = await batchWriter.WriteAsync(["kpi oee=1 1"], TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.True(result.Unavailable);
        Assert.Equal(0, result.Written);
        Assert.Equal(0, deadLetters.Count);
    }

    [Fact]
    public async Task V2Writer_ToVictoriaMetrics_PointsReadBackThroughExport_WithExactValuesAndTimestamps()
    {
        var machine = "v2w" + Guid.NewGuid().ToString("N")[..8];
        using var writer = new InfluxV2Writer(new InfluxOptions
        {
            Api = InfluxApiVersion.V2,
            Url = servers.Victoria.Url,
            Org = "edgeops",
            Bucket = "edgeops",
            Token = "any",
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var lines = Enumerable.Range(0, 3)
            .Select(i => new InfluxPoint("kpi", [new("machine", machine)], [new("oee", InfluxFieldValue.FromDouble(0.25 * (i + 1)))],
                (now - 1000 + i) * 1_000_000).ToLineProtocol())
            .ToList();

        var outcome = await writer.WriteAsync(lines, CancellationToken.None);

        Assert.Equal(InfluxWriteStatus.Accepted, outcome.Status);
        var series = Assert.Single(await servers.Victoria.ExportAsync($"{{__name__=\"kpi_oee\",machine=\"{machine}\"}}"));
        Assert.Equal([0.25, 0.5, 0.75], series.Values);
        Assert.Equal([now - 1000, now - 999, now - 998], series.TimestampsMs);
    }
}
