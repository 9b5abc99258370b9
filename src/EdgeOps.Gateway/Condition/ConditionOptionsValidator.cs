using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Condition;

/// <summary>The rules of <see cref="ConditionOptions"/>, each message naming the key and the value found.</summary>
internal sealed class ConditionOptionsValidator : IValidateOptions<ConditionOptions>
{
    public const string Section = "EdgeOps:Condition";

    public ValidateOptionsResult Validate(string? name, ConditionOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>; empty when they are usable.</summary>
    public static IReadOnlyList<string> Errors(ConditionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaintenancePublishInterval <= TimeSpan.Zero
            ? [$"{Section}:MaintenancePublishInterval must be positive, found {options.MaintenancePublishInterval}."]
            : [];
    }
}
