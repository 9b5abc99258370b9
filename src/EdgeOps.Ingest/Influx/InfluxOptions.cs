namespace EdgeOps.Ingest;

/// <summary>Where and how to write points. Bound from configuration (e.g. <c>Historian:Influx</c>); secrets from the environment.</summary>
public sealed class InfluxOptions
{
    public InfluxApiVersion Api { get; set; } = InfluxApiVersion.V2;

    /// <summary>Server base address, e.g. <c>http://influxdb:8086</c>.</summary>
    public Uri? Url { get; set; }

    // v1
    public string? Database { get; set; }

    public string? RetentionPolicy { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    // v2
    public string? Org { get; set; }

    public string? Bucket { get; set; }

    public string? Token { get; set; }

    /// <summary>Lines per write request at most (InfluxDB's recommendation is 5,000).</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>A batch is written at the latest this long after its first line arrived.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool Gzip { get; set; } = true;

    /// <summary>
    /// Batches being mapped and written at once. More than one keeps the server busy while the next batch is
    /// mapped and the previous one acknowledged; acknowledgements stay in order either way.
    /// </summary>
    public int WritesInFlight { get; set; } = 4;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one batch is retried before it goes to the durable buffer instead.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Checks the options and returns one message per problem, each naming the key under <paramref name="section"/>.
    /// </summary>
    public IReadOnlyList<string> Validate(string section)
    {
        var errors = new List<string>();
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{section}:Url must be an absolute http(s) address, got '{Url}'.");
        }

        if (Api == InfluxApiVersion.V1 && string.IsNullOrWhiteSpace(Database))
        {
            errors.Add($"{section}:Database is required when {section}:Api is V1.");
        }

        if (Api == InfluxApiVersion.V2)
        {
            if (string.IsNullOrWhiteSpace(Bucket))
            {
                errors.Add($"{section}:Bucket is required when {section}:Api is V2.");
            }

            if (string.IsNullOrWhiteSpace(Org))
            {
                errors.Add($"{section}:Org is required when {section}:Api is V2 (InfluxDB 1.8 and 3.x ignore it; any value will do).");
            }
        }

        if (BatchSize is < 1 or > 100_000)
        {
            errors.Add($"{section}:BatchSize must be 1..100000, got {BatchSize}.");
        }

        if (WritesInFlight is < 1 or > 64)
        {
            errors.Add($"{section}:WritesInFlight must be 1..64, got {WritesInFlight}.");
        }

        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:FlushInterval must be between 0 and 1 minute, got {FlushInterval}.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:RequestTimeout must be positive, got {RequestTimeout}.");
        }

        if (RetryBudget < TimeSpan.Zero)
        {
            errors.Add($"{section}:RetryBudget must not be negative, got {RetryBudget}.");
        }

        return errors;
    }
}
