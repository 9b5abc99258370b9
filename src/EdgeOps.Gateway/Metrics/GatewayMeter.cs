namespace EdgeOps.Gateway.Metrics;

/// <summary>
/// The gateway area's meter: the engine, the sources' statistics, GPIO, storage and the edge-local InfluxDB writer.
/// Every instrument is made on a meter from the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, so the
/// host owns and disposes it (docs/operations.md lists every area's meter).
/// </summary>
public static class GatewayMeter
{
    /// <summary>The meter name.</summary>
    public const string Name = "EdgeOps.Gateway";
}
