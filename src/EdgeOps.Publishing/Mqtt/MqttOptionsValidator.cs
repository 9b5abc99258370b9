using Microsoft.Extensions.Options;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// Rules across <see cref="MqttOptions"/>' keys, each message naming the key and the value found: the broker URL
/// parses, and a password comes with a username. Whether the embedded broker may run depends on where the gateway
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

        return errors;
    }
}
