using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Configuration;

/// <summary>
/// What loading a line file gave: the definition when the file is valid, and every error found
/// (all of them, not just the first), ordered by position in the file.
/// </summary>
internal sealed record LineConfigResult(LineDefinition? Line, IReadOnlyList<ConfigError> Errors)
{
    /// <summary>True when the file loaded with no errors; <see cref="Line"/> is then set.</summary>
    public bool IsValid => Line is not null && Errors.Count == 0;
}
