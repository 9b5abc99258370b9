using System.Globalization;
using Microsoft.Extensions.Options;

namespace EdgeOps.Ingest;

/// <summary>
/// The rules of <see cref="InfluxOptions"/>, each message naming the key under the section the host binds them from
/// (<c>Historian:Influx</c>, <c>EdgeOps:Influx</c>) and the value found. Register it with the options
/// (<c>AddOptionsWithValidateOnStart</c>); a host whose options hold an <see cref="InfluxOptions"/> calls
/// <see cref="Errors"/> from its own validator.
/// </summary>
public sealed class InfluxOptionsValidator(string section) : IValidateOptions<InfluxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, InfluxOptions options)
    {
        var errors = Errors(options, section);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>, each naming its key under <paramref name="section"/>.</summary>
    public static IReadOnlyList<string> Errors(InfluxOptions options, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var url = options.Url;
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{section}:Url must be an absolute http(s) address, got '{url}'.");
        }

        if (options.Api == InfluxApiVersion.V1 && string.IsNullOrWhiteSpace(options.Database))
        {
            errors.Add($"{section}:Database is required when {section}:Api is V1.");
        }

        if (options.Api == InfluxApiVersion.V2)
        {
            if (string.IsNullOrWhiteSpace(options.Bucket))
            {
                errors.Add($"{section}:Bucket is required when {section}:Api is V2.");
            }

            if (string.IsNullOrWhiteSpace(options.Org))
            {
                errors.Add($"{section}:Org is required when {section}:Api is V2 (InfluxDB 1.8 and 3.x ignore it; any value will do).");
            }
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:BatchSize must be 1..100000, got {options.BatchSize}."));
        }

        if (options.WritesInFlight is < 1 or > 64)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:WritesInFlight must be 1..64, got {options.WritesInFlight}."));
        }

        if (options.FlushInterval <= TimeSpan.Zero || options.FlushInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:FlushInterval must be between 0 and 1 minute, got {options.FlushInterval}."));
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:RequestTimeout must be positive, got {options.RequestTimeout}."));
        }

        if (options.RetryBudget < TimeSpan.Zero)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:RetryBudget must not be negative, got {options.RetryBudget}."));
        }

        return errors;
    }
}
