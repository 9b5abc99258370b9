using EdgeOps.Publishing.Mqtt.Commands;
using Microsoft.Extensions.Options;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// Rules across <see cref="MqttOptions"/>' keys, each message naming the key and the value found: the broker URL
/// parses, a password comes with a username, and the inbound command limits are usable. Whether the embedded broker may run depends on where the gateway
/// runs (production), not on these options: the gateway's settings check judges that.
/// </summary>
public sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>, each naming its key under <c>EdgeOps:Mqtt</c>.</summary>
    public static IReadOnlyList<string> Errors(MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        try
        {
            _ = options.Endpoint;
        }
        catch (ArgumentException ex)
        {
            errors.Add(ex.Message.Split(" (Parameter", 2)[0]);
        }

        if (string.IsNullOrEmpty(options.Username) && !string.IsNullOrEmpty(options.Password))
        {
            errors.Add("EdgeOps:Mqtt:Password is set but EdgeOps:Mqtt:Username is empty: set both (EdgeOps__Mqtt__Username in /etc/edgeops/edgeops.env).");
        }

        errors.AddRange(CommandErrors(options.Commands));
        return errors;
    }

    /// <summary>Every problem with the inbound command settings (<c>EdgeOps:Mqtt:Commands</c>), naming the key and the value found.</summary>
    public static IReadOnlyList<string> CommandErrors(CommandOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.MaxAge <= TimeSpan.Zero)
        {
            errors.Add($"EdgeOps:Mqtt:Commands:MaxAge = {options.MaxAge} must be positive (e.g. 00:05:00).");
        }

        if (options.RequestRetention < TimeSpan.FromMinutes(1))
        {
            errors.Add($"EdgeOps:Mqtt:Commands:RequestRetention = {options.RequestRetention} must be at least a minute (default 1.00:00:00).");
        }

        return errors;
    }
}
