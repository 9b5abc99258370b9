using EdgeOps.Ingest;

namespace EdgeOps.Gateway.Influx;

/// <summary>
/// The edge-local option (<c>EdgeOps:Influx</c>): the gateway also writes what it publishes to an InfluxDB on the same
/// device, through the historian's mapping, batching, dead letters and durable buffer. Off by default. The other keys
/// are <see cref="InfluxOptions"/> (<c>Api</c>, <c>Url</c>, <c>Database</c> or <c>Org</c>/<c>Bucket</c>/<c>Token</c>, …);
/// secrets from the environment (<c>EdgeOps__Influx__Token</c>) or systemd credentials.
/// </summary>
public static class EdgeInfluxOptions
{
    public const string Section = "EdgeOps:Influx";

    /// <summary>The durable buffer in the data directory (outbox storage, SQLite WAL).</summary>
    public const string BufferFile = "influx-buffer.db";

    /// <summary>Lines InfluxDB rejected and messages that did not map, one JSON object a line.</summary>
    public const string DeadLetterFile = "influx-dead-letters.jsonl";

    /// <summary>Whether <c>EdgeOps:Influx:Enabled</c> is true.</summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue($"{Section}:Enabled", false);
    }

    public static InfluxOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(Section).Get<InfluxOptions>() ?? new InfluxOptions();
    }

    /// <summary>Start-up check: one message per problem, each naming its key. Empty when the option is off.</summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        if (!bool.TryParse(configuration[$"{Section}:Enabled"] ?? "false", out var enabled))
        {
            errors.Add($"{Section}:Enabled must be true or false, got '{configuration[$"{Section}:Enabled"]}'.");
            return errors;
        }

        if (!enabled)
        {
            return errors;
        }

        if (!configuration.GetValue("EdgeOps:Mqtt:Enabled", true))
        {
            errors.Add($"{Section}:Enabled needs EdgeOps:Mqtt:Enabled=true: the edge-local writer stores what the gateway publishes.");
        }

        InfluxOptions options;
        try
        {
            options = Bind(configuration);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key whose value does not convert (e.g. Api=V3, BatchSize=many).
            errors.Add($"{Section}: {ex.Message}{(ex.InnerException is null ? string.Empty : " " + ex.InnerException.Message)}");
            return errors;
        }

        errors.AddRange(options.Validate(Section));
        return errors;
    }
}
