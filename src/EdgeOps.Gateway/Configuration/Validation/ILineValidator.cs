using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>
/// A rule across the whole line (duplicate ids, overlapping shifts, a pin used twice...). Runs after parsing, on
/// whatever parsed, so one load reports every problem. Report with <c>context.Error(context.PathOf(machine) + ".id", ...)</c>:
/// the context knows where each parsed object sat in the file. To add a rule: one class, one line in
/// <see cref="LineValidators.All"/>.
/// </summary>
internal interface ILineValidator
{
    void Validate(LineDefinition line, ConfigContext context);
}
