using EdgeOps.Ingest;
using Microsoft.Extensions.Options;

namespace EdgeOps.Historian;

/// <summary>Start-up validation: each message names the key and the value found.</summary>
public sealed class HistorianOptionsValidator : IValidateOptions<HistorianOptions>
{
    public ValidateOptionsResult Validate(string? name, HistorianOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(InfluxOptionsValidator.Errors(options.Influx, $"{HistorianOptions.Section}:Influx"));
        var mqtt = options.Mqtt;
        const string prefix = HistorianOptions.Section + ":Mqtt";
        if (string.IsNullOrWhiteSpace(mqtt.Host))
        {
            errors.Add($"{prefix}:Host is required.");
        }

        if (mqtt.Port is < 1 or > 65535)
        {
            errors.Add($"{prefix}:Port must be 1..65535, got {mqtt.Port}.");
        }

        if (string.IsNullOrWhiteSpace(mqtt.ClientId))
        {
            errors.Add($"{prefix}:ClientId is required: a fixed id keeps the persistent session across restarts.");
        }

        if (string.IsNullOrWhiteSpace(mqtt.Topic) || mqtt.Topic.StartsWith('$'))
        {
            errors.Add($"{prefix}:Topic must be a topic filter such as 'edgeops/v1/#' (use SharedGroup for $share), got '{mqtt.Topic}'.");
        }

        if (mqtt.SharedGroup is { Length: > 0 } group && (group.Contains('/', StringComparison.Ordinal) || group.Contains('+', StringComparison.Ordinal) || group.Contains('#', StringComparison.Ordinal)))
        {
            errors.Add($"{prefix}:SharedGroup must not contain '/', '+' or '#', got '{group}'.");
        }

        if (!string.IsNullOrEmpty(options.MetricsUrl)
            && (!Uri.TryCreate(options.MetricsUrl.Replace("+", "plus", StringComparison.Ordinal).Replace("*", "star", StringComparison.Ordinal), UriKind.Absolute, out var metrics)
                || metrics.Scheme is not ("http" or "https")))
        {
            errors.Add($"{HistorianOptions.Section}:MetricsUrl must be an http:// prefix such as 'http://127.0.0.1:9108/' (or empty for none), got '{options.MetricsUrl}'.");
        }

        if (mqtt.MaximumPacketSize is < 4096 or > 268_435_455)
        {
            errors.Add($"{prefix}:MaximumPacketSize must be 4096..268435455 bytes, got {mqtt.MaximumPacketSize}.");
        }

        if (mqtt.ReceiveMaximum is < 1 or > 65535)
        {
            errors.Add($"{prefix}:ReceiveMaximum must be 1..65535, got {mqtt.ReceiveMaximum}.");
        }

        if (mqtt.UseTls)
        {
            foreach (var (key, file) in new[] { ("CaFile", mqtt.Tls.CaFile), ("ClientCertificateFile", mqtt.Tls.ClientCertificateFile), ("ClientKeyFile", mqtt.Tls.ClientKeyFile) })
            {
                if (file is not null && !File.Exists(file))
                {
                    errors.Add($"{prefix}:Tls:{key} '{file}' does not exist.");
                }
            }
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{HistorianOptions.Section}:DataDirectory is required.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
