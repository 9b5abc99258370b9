using EdgeOps.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EdgeOps.Historian;

/// <summary>
/// Start-up check that every key under <c>Historian:</c> is one <see cref="HistorianOptions"/> binds: a misspelt key
/// (<c>Historian__Influx__Tokn</c>) stops the start naming it and the closest known key, instead of being ignored.
/// </summary>
public sealed class HistorianUnknownSettingsValidator(IConfiguration configuration) : IValidateOptions<HistorianOptions>
{
    /// <summary>The keys of the historian: exactly what <see cref="HistorianOptions"/> binds.</summary>
    internal static readonly SettingsSchema Schema = new(HistorianOptions.Section, typeof(HistorianOptions));

    public ValidateOptionsResult Validate(string? name, HistorianOptions options)
    {
        var errors = Schema.UnknownKeys(configuration);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
