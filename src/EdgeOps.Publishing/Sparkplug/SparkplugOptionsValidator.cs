using EdgeOps.Publishing.Mqtt;
using Microsoft.Extensions.Options;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>
/// Rules of <see cref="SparkplugOptions"/> (<c>EdgeOps:Sparkplug</c>), each message naming the key and the value found:
/// ids a Sparkplug topic can carry, a usable report-by-exception interval, and (across sections) an external broker.
/// Registered with <c>AddOptionsWithValidateOnStart</c>; the gateway's settings check runs <see cref="Errors"/> too.
/// </summary>
public sealed class SparkplugOptionsValidator(IOptions<MqttOptions> mqtt) : IValidateOptions<SparkplugOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SparkplugOptions options)
    {
        bool embedded;
        try
        {
            embedded = mqtt.Value.Endpoint.Embedded;
        }
        catch (ArgumentException)
        {
            // A broker URL that does not parse is MqttOptionsValidator's to name; judge nothing across sections here.
            embedded = false;
        }

        var errors = Errors(options, embedded);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// Every problem, each naming its key and the value found; empty when valid or not enabled.
    /// <paramref name="embeddedBroker"/>: whether <c>EdgeOps:Mqtt:Broker</c> is the embedded broker.
    /// </summary>
    public static IReadOnlyList<string> Errors(SparkplugOptions options, bool embeddedBroker)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!options.Enabled)
        {
            return errors;
        }

        if (embeddedBroker)
        {
            errors.Add($"{SparkplugOptions.Section}:Enabled = true needs an external broker (EdgeOps:Mqtt:Broker=mqtt://host:1883): a Sparkplug host "
                + "application (Ignition's MQTT Engine, ...) subscribes at the plant's broker, and Sparkplug is not supported on the embedded one");
        }

        foreach (var (key, value) in new[] { ("GroupId", options.GroupId), ("EdgeNodeId", options.EdgeNodeId), ("PrimaryHostId", options.PrimaryHostId), ("ClientId", options.ClientId) })
        {
            if (value is not null && (value.Length == 0 || value.AsSpan().IndexOfAny("/+#\0") >= 0))
            {
                errors.Add($"{SparkplugOptions.Section}:{key} = '{value}' is not a Sparkplug id: it must be non-empty and contain no '/', '+', '#'");
            }
        }

        if (options.MinInterval < TimeSpan.Zero || options.MinInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{SparkplugOptions.Section}:MinInterval = {options.MinInterval} must be between 00:00:00 and 01:00:00");
        }

        return errors;
    }
}
