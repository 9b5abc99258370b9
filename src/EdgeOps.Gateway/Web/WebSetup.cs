using EdgeOps.Gateway.Engine;
using EdgeOps.Gateway.Metrics;
using EdgeOps.Telemetry;
using OpenTelemetry.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeOps.Gateway.Web;

/// <summary>Wiring of the live view, health, readiness and metrics: one call each from <c>GatewayHost</c>.</summary>
public static class WebSetup
{
    public static WebApplicationBuilder AddEdgeOpsWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<WebOptions, WebOptionsValidator>().Bind(builder.Configuration.GetSection(WebOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BoundAddresses>();
        services.AddSingleton<LoginThrottle>();

        // ASP.NET Core's request lines (Information) carry the query string, and with it a ?token= link's token. The
        // gateway logs requests nowhere else; warnings and errors of the category still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        // Host names the live view answers to (DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not
        // read the board). Loopback-only binds default to the loopback names; beyond, to any host unless set.
        var web = new WebOptions();
        builder.Configuration.GetSection(WebOptions.Section).Bind(web);
        services.Configure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o =>
            o.AllowedHosts = web.AllowedHosts is { Length: > 0 } hosts
                ? hosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : web.BeyondLoopback ? ["*"] : ["127.0.0.1", "localhost", "[::1]"]);
        // /metrics through OpenTelemetry's Prometheus exporter (every EdgeOps meter, .NET runtime metrics; OTLP when
        // OTEL_EXPORTER_OTLP_ENDPOINT is set). The provider starts with the host: counts before the first scrape count too.
        services.AddEdgeOpsMetrics(builder.Configuration, "edgeops-gateway",
            builder.Configuration.GetSection(Hosting.GatewayOptions.Section).Get<Hosting.GatewayOptions>()?.ResolveGatewayId(),
            metrics => metrics.AddPrometheusExporter(o => o.ScopeInfoEnabled = EdgeOpsTelemetry.ScopeLabels));
        services.AddSingleton<EngineMetrics>();
        services.AddSingleton<SourceMetrics>();
        services.AddSingleton<MachineHistory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, SourcesReadinessCheck>());
        return builder;
    }

    public static WebApplication MapEdgeOpsWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Validated by WebOptionsValidator: GatewayHost.RunAsync checks before building and exits with the errors;
        // reading the value here throws them for other hosts.
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebOptions>>().Value;

        BoundAddresses.WatchStart(app, options);
        app.UseEdgeOpsOriginCheck();
        app.UseEdgeOpsToken(options, app.Services.GetRequiredService<BoundAddresses>(), app.Services.GetRequiredService<LoginThrottle>());
        _ = app.Services.GetRequiredService<EngineMetrics>();
        _ = app.Services.GetRequiredService<SourceMetrics>();
        var history = app.Services.GetRequiredService<MachineHistory>();
        app.Services.GetRequiredService<EngineView>().SnapshotPublished += history.Add;

        app.MapGet("/readyz", (IEnumerable<IReadinessCheck> checks) =>
        {
            var results = checks.Select(c => (c.Name, Result: c.Check())).ToList();
            var ready = results.All(r => r.Result.Ready);
            var body = string.Join('\n', results.Select(r => $"{r.Name}: {(r.Result.Ready ? "ready" : "NOT READY")} ({r.Result.Detail})"));
            return Results.Text(body + "\n", statusCode: ready ? 200 : 503);
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        LiveViewEndpoints.Map(app);
        OrderEndpoints.Map(app);
        StaticAssets.Map(app);
        return app;
    }
}
