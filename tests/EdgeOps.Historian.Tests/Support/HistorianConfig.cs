using System.Globalization;

namespace EdgeOps.Historian.Tests.Support;

/// <summary>Configuration keys for a historian under test: broker port, InfluxDB target, its own data directory, no metrics listener.</summary>
public static class HistorianConfig
{
    public static Dictionary<string, string?> V1(int mqttPort, Uri influxUrl, string database, string dataDirectory, string clientId) => new()
    {
        ["Historian:DataDirectory"] = dataDirectory,
        ["Historian:Mqtt:Host"] = "127.0.0.1",
        ["Historian:Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
        ["Historian:Mqtt:ClientId"] = clientId,
        ["Historian:Influx:Api"] = "V1",
        ["Historian:Influx:Url"] = influxUrl.ToString(),
        ["Historian:Influx:Database"] = database,
        ["Historian:Influx:RetryBudget"] = "00:00:01",
        ["Historian:Influx:RequestTimeout"] = "00:00:05",
        ["Logging:LogLevel:Default"] = "Warning",
        // No /metrics: its default port is one per machine, and tests run historians side by side (the metrics tests set their own).
        ["Historian:MetricsUrl"] = string.Empty,
    };

    public static Dictionary<string, string?> V2(int mqttPort, Uri influxUrl, string dataDirectory, string clientId) => new()
    {
        ["Historian:DataDirectory"] = dataDirectory,
        ["Historian:Mqtt:Host"] = "127.0.0.1",
        ["Historian:Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
        ["Historian:Mqtt:ClientId"] = clientId,
        ["Historian:Influx:Api"] = "V2",
        ["Historian:Influx:Url"] = influxUrl.ToString(),
        ["Historian:Influx:Org"] = "edgeops",
        ["Historian:Influx:Bucket"] = "edgeops",
        ["Historian:Influx:Token"] = "test-token",
        ["Historian:Influx:RetryBudget"] = "00:00:01",
        ["Logging:LogLevel:Default"] = "Warning",
        // No /metrics: its default port is one per machine, and tests run historians side by side (the metrics tests set their own).
        ["Historian:MetricsUrl"] = string.Empty,
    };
}
