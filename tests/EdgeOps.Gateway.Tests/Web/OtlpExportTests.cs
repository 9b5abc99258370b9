using System.Text;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Http;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>
/// OTLP export, on only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: the real gateway pushes its metrics (ours and
/// the runtime's) as OTLP/HTTP protobuf to a loopback collector stand-in that records what arrives on the wire.
/// </summary>
public sealed class OtlpExportTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Gateway_WithOtlpEndpointSet_PushesItsMetricsAsOtlpProtobuf()
    {
        await using var collector = RecordingHttpServer.Answering(new ScriptedResponse(200, "", "application/x-protobuf"));
        using var gateway = await GatewayProcess.StartAsync(
            ["--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"), "--data", _data.Path,
                "--EdgeOps:Mqtt:Enabled=false", "--EdgeOps:ConsoleSummaryInterval=00:00:00", "--EdgeOps:GatewayId=gw-otlp"],
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                // Once a second instead of once a minute, so the test does not wait.
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            });

        // Names and strings travel as UTF-8 inside the protobuf: look for them in the raw bodies.
        string[] expected = ["edgeops.engine.signals", "edgeops.source.connected", "dotnet.gc.collections", "edgeops-gateway", "gw-otlp"];
        await Eventually.HoldsAsync(() =>
        {
            var exports = collector.Requests.Where(r => r.Method == "POST" && r.PathAndQuery == "/v1/metrics").ToList();
            var text = string.Concat(exports.Select(r => Encoding.UTF8.GetString(r.Body)));
            var missing = expected.Where(e => !text.Contains(e, StringComparison.Ordinal)).ToList();
            var ok = exports.Count > 0 && missing.Count == 0
                && exports.All(r => r.Header("Content-Type") == "application/x-protobuf");
            return Task.FromResult((ok, $"{collector.Requests.Count} request(s): "
                + string.Join(", ", collector.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Header("Content-Type")}"))
                + $"; missing [{string.Join(", ", missing)}]"));
        }, TimeSpan.FromSeconds(60));
    }

    public void Dispose() => _data.Dispose();
}
