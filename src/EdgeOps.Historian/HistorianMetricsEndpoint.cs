using System.Net;
using EdgeOps.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace EdgeOps.Historian;

/// <summary>
/// Prometheus <c>/metrics</c> of the historian on <see cref="HistorianOptions.MetricsUrl"/>: OpenTelemetry's
/// Prometheus exporter on its own <see cref="HttpListener"/> (the historian is a worker, not a web application), fed
/// by the shared pipeline (<see cref="EdgeOpsTelemetry"/>: every EdgeOps meter, .NET runtime metrics, OTLP when set).
/// Empty URL: off.
/// </summary>
/// <remarks>
/// The exporter starts its listener when the meter provider is built and throws if the port is taken, which would stop
/// the host. Metrics are not worth stopping the ingest for, so the prefix is tried first; one that cannot listen is
/// logged at start (EventId 6112) and the historian runs without it. A prefix is claimed once per process too: the
/// probe alone cannot see a second historian host in the same process that has probed but not yet started its exporter.
/// Two historian processes started in the same instant on one port can still both pass the probe; the second then
/// stops at start and its unit's restart finds the port taken and runs without metrics.
/// </remarks>
internal sealed class HistorianMetricsEndpoint(string url, string? refusal, ILogger<HistorianMetricsEndpoint> logger) : IHostedService
{
    private static readonly HashSet<string> Claimed = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers the meter provider, with the Prometheus listener when <c>Historian:MetricsUrl</c> can listen.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(HistorianOptions.Section);
        var url = section["MetricsUrl"] ?? new HistorianOptions().MetricsUrl;
        var prefix = url.EndsWith('/') ? url : url + "/";
        // A malformed URL is the options validator's to report (naming the key); here it only means no listener.
        var refusal = string.IsNullOrEmpty(url) ? null : TryListen(prefix);
        var listening = !string.IsNullOrEmpty(url) && refusal is null;
        services.AddEdgeOpsMetrics(configuration, "edgeops-historian", section["Mqtt:ClientId"], metrics =>
        {
            if (listening)
            {
                metrics.AddPrometheusHttpListener(o =>
                {
                    o.ScopeInfoEnabled = EdgeOpsTelemetry.ScopeLabels;
                    // Our prefix (host, port, '+' for every interface) instead of the exporter's Host and Port options,
                    // narrowed to /metrics/: the exporter answers any path it is given, other paths should be 404.
                    o.ConfigureHttpListener = (_, listener) =>
                    {
                        listener.Prefixes.Clear();
                        listener.Prefixes.Add(prefix + "metrics/");
                    };
                });
            }
        });
        if (!string.IsNullOrEmpty(url))
        {
            services.AddHostedService(sp => new HistorianMetricsEndpoint(prefix, refusal, sp.GetRequiredService<ILogger<HistorianMetricsEndpoint>>()));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (refusal is null)
        {
            HistorianLog.MetricsListening(logger, url);
        }
        else
        {
            HistorianLog.MetricsNotListening(logger, url, refusal);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (refusal is null)
        {
            lock (Claimed)
            {
                Claimed.Remove(url);
            }
        }

        return Task.CompletedTask;
    }

    private static string? TryListen(string prefix)
    {
        lock (Claimed)
        {
            if (!Claimed.Add(prefix))
            {
                return "another historian in this process listens on it";
            }
        }

        try
        {
            using var probe = new HttpListener();
            probe.Prefixes.Add(prefix);
            probe.Start();
            probe.Stop();
            return null;
        }
        catch (Exception ex) when (ex is HttpListenerException or ArgumentException or PlatformNotSupportedException)
        {
            lock (Claimed)
            {
                Claimed.Remove(prefix);
            }

            return ex.Message;
        }
    }
}
