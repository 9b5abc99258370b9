using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace EdgeOps.Telemetry;

/// <summary>
/// The metrics pipeline both executables share: OpenTelemetry's SDK reads every <c>EdgeOps.*</c> meter (one per area,
/// docs/operations.md) and .NET's own <c>System.Runtime</c> meter (GC, heap, thread pool, exceptions, process CPU and
/// working set), and hands them to the Prometheus exporter the caller adds and, when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to an OTLP exporter. Linked into the gateway and the historian as
/// source (one file, no project for it), like <c>SettingsSchema</c>.
/// </summary>
/// <remarks>
/// OpenTelemetry rather than prometheus-net: its SDK and exporters are built AOT-compatible and marked trimmable (the
/// gateway is being made Native AOT), it reads <c>System.Diagnostics.Metrics</c> instruments natively (histogram buckets come
/// from each instrument's advice), and the same pipeline gives OTLP.
/// </remarks>
internal static class EdgeOpsTelemetry
{
    /// <summary>Every meter of ours: EdgeOps.Gateway, .Publishing, .Sources, .OpcUa, .Ingest, .Historian.</summary>
    public const string MeterPattern = "EdgeOps.*";

    /// <summary>.NET's built-in runtime meter (.NET 9 and later).</summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>
    /// No <c>otel_scope_name</c> label on every series: our instrument names are unique across meters, and the label
    /// would change every series' identity from what dashboards and alerts select (docs/operations.md).
    /// </summary>
    public const bool ScopeLabels = false;

    /// <summary>The standard OpenTelemetry variable; set, metrics are also pushed there over OTLP.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Registers the meter provider with our meters, the runtime's, the service's resource and OTLP when configured;
    /// <paramref name="exporter"/> adds the Prometheus exporter of the host kind (ASP.NET Core or HttpListener).
    /// </summary>
    public static IServiceCollection AddEdgeOpsMetrics(this IServiceCollection services, IConfiguration configuration,
        string serviceName, string? instanceId, Action<MeterProviderBuilder> exporter)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(exporter);
        var version = typeof(EdgeOpsTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version,
                serviceInstanceId: string.IsNullOrEmpty(instanceId) ? null : instanceId, autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MeterPattern, RuntimeMeter);
                exporter(metrics);
                if (OtlpEnabled(configuration))
                {
                    // Endpoint, protocol (grpc or http/protobuf), headers and interval come from the standard OTEL_*
                    // variables, read by the exporter itself.
                    metrics.AddOtlpExporter();
                }
            });
        return services;
    }

    /// <summary>True when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set to something.</summary>
    public static bool OtlpEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
}
