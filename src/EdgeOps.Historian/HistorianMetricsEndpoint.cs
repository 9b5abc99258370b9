using System.Net;
using System.Text;
using EdgeOps.Contract.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeOps.Historian;

/// <summary>
/// Prometheus <c>/metrics</c> of the historian (every instrument of the product's <c>Meter("EdgeOps")</c>: messages,
/// failed batches, the ingest's writes, spills and dead letters) on <see cref="HistorianOptions.MetricsUrl"/>, through the
/// base library's <see cref="HttpListener"/>: the historian is a worker, not a web application. Empty URL: off.
/// </summary>
internal sealed class HistorianMetricsEndpoint(IOptions<HistorianOptions> options, PrometheusExporter exporter,
    ILogger<HistorianMetricsEndpoint> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = options.Value.MetricsUrl;
        if (string.IsNullOrEmpty(url))
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add(url.EndsWith('/') ? url : url + "/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException ex)
        {
            // Metrics are not worth stopping the ingest for: say where, and go on without them.
            HistorianLog.MetricsNotListening(logger, url, ex.Message);
            return;
        }

        HistorianLog.MetricsListening(logger, url);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            using var response = context.Response;
            if (context.Request.HttpMethod != "GET" || context.Request.Url?.AbsolutePath.TrimEnd('/') is not ("/metrics" or ""))
            {
                response.StatusCode = 404;
                continue;
            }

            var body = Encoding.UTF8.GetBytes(exporter.Render());
            response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            response.ContentLength64 = body.Length;
            try
            {
                await response.OutputStream.WriteAsync(body, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or OperationCanceledException)
            {
                // The scraper went away: nothing to do.
            }
        }
    }
}
