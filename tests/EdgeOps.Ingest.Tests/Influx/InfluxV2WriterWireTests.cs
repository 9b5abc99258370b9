using System.IO.Compression;
using System.Text;
using EdgeOps.Ingest.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.Ingest;
using EdgeOps.TestSupport.Http;

namespace EdgeOps.Ingest.Tests.Influx;

/// <summary>
/// What <see cref="InfluxV2Writer"/> puts on the wire (through a recording loopback server of the test's own) and how
/// it reads the server's refusals, now that it sends through its own gzip handler instead of the client's gzip.
/// </summary>
[Collection(InfluxServersCollection.Name)]
public sealed class InfluxV2WriterWireTests(InfluxServersFixture servers)
{
    private static InfluxOptions Options(Uri url, bool gzip = true) => new()
    {
        Api = InfluxApiVersion.V2,
        Url = url,
        Org = "edgeops",
        Bucket = "edgeops",
        Token = "secret-token",
        Gzip = gzip,
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private static List<string> Lines(string machine, long firstMs, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new InfluxPoint("kpi", [new("machine", machine)],
                [new("oee", InfluxFieldValue.FromDouble(0.5 * i)), new("runTimeS", InfluxFieldValue.FromDouble(3240))],
                (firstMs + i) * 1_000_000).ToLineProtocol())
            .ToList();

    [Fact]
    public async Task V2Writer_SendsOneGzipBodyAtTheFastestLevel_AndVictoriaMetricsStoresEveryPointOfIt()
    {
        await using var relay = RecordingHttpServer.RelayTo(servers.Victoria.Url);
        using var writer = new InfluxV2Writer(Options(relay.Url));
        var machine = "gz" + Guid.NewGuid().ToString("N")[..8];
        var firstMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000;
        var lines = Lines(machine, firstMs, 2000);

        var outcome = await writer.WriteAsync(lines, CancellationToken.None);

        Assert.Equal(InfluxWriteStatus.Accepted, outcome.Status);
        var request = Assert.Single(relay.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v2/write?org=edgeops&bucket=edgeops&precision=ns", request.PathAndQuery);
        Assert.Equal("Token secret-token", request.Header("Authorization"));
        // Exactly one coding: not the client's "identity" left beside ours, not gzip twice.
        Assert.Equal("gzip", request.Header("Content-Encoding"));
        Assert.Equal("text/plain; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));
        Assert.Equal([0x1f, 0x8b], request.Body[..2]);
        // The gzip header's XFL byte: 4 = fastest compression (zlib level 1); the client's own gzip (Optimal) writes 0.
        Assert.Equal(4, request.Body[8]);
        var plain = Gunzip(request.Body);
        Assert.Equal(string.Join('\n', lines), plain);
        Assert.True(request.Body.Length * 5 < Encoding.UTF8.GetByteCount(plain), $"{request.Body.Length} bytes gzipped of {plain.Length}");

        var series = await servers.Victoria.ExportAsync($"{{__name__=\"kpi_oee\",machine=\"{machine}\"}}");
        var oee = Assert.Single(series);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => 0.5 * i), oee.Values);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => firstMs + i), oee.TimestampsMs);
    }

    [Fact]
    public async Task V2Writer_WithGzipOff_SendsThePlainLines()
    {
        await using var server = RecordingHttpServer.Answering(new ScriptedResponse(204));
        using var writer = new InfluxV2Writer(Options(server.Url, gzip: false));
        var lines = Lines("plain", 1_795_676_400_000, 3);

        var outcome = await writer.WriteAsync(lines, CancellationToken.None);

        Assert.Equal(InfluxWriteStatus.Accepted, outcome.Status);
        var request = Assert.Single(server.Requests);
        Assert.NotEqual("gzip", request.Header("Content-Encoding"));
        Assert.Equal(string.Join('\n', lines), Encoding.UTF8.GetString(request.Body));
    }

    [Theory]
    [InlineData(400, "unable to parse 'kpi oee=': missing field value")]
    [InlineData(422, "points beyond retention policy dropped=1")]
    public async Task V2Writer_WhenTheServerRefusesTheContent_ReportsRejected_WithItsStatusAndMessage(int status, string message)
    {
        await using var server = RecordingHttpServer.Answering(new ScriptedResponse(status,
            $$"""{"code":"invalid","message":"{{message}}"}""", "application/json; charset=utf-8"));
        using var writer = new InfluxV2Writer(Options(server.Url));

        var outcome = await writer.WriteAsync(Lines("r", 1_795_676_400_000, 3), CancellationToken.None);

        Assert.Equal(InfluxWriteStatus.Rejected, outcome.Status);
        Assert.Equal(status, outcome.HttpStatus);
        Assert.Equal(message, outcome.Message);
        Assert.Null(outcome.RetryAfter);
        Assert.Equal("gzip", Assert.Single(server.Requests).Header("Content-Encoding"));
    }

    [Theory]
    [InlineData(429, 7)]
    [InlineData(503, 30)]
    public async Task V2Writer_WhenTheServerAsksToWait_ReportsUnavailable_WithItsRetryAfter(int status, int seconds)
    {
        await using var server = RecordingHttpServer.Answering(new ScriptedResponse(status,
            Headers: [("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        using var writer = new InfluxV2Writer(Options(server.Url));

        var outcome = await writer.WriteAsync(Lines("w", 1_795_676_400_000, 3), CancellationToken.None);

        Assert.Equal(InfluxWriteStatus.Unavailable, outcome.Status);
        Assert.Equal(status, outcome.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(seconds), outcome.RetryAfter);
    }

    private static string Gunzip(byte[] body)
    {
        using var zip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var text = new StreamReader(zip, Encoding.UTF8);
        return text.ReadToEnd();
    }
}
