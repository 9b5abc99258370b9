using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Hosting;

/// <summary>
/// The attribute rules of <see cref="GatewayOptions"/> (<c>[Required]</c>, <c>[Range]</c>), checked by generated code:
/// no reflection over DataAnnotations in the trimmed build. Failures read "Member: message"; the settings check
/// (<see cref="GatewaySettings.Check"/>) prefixes them with <c>EdgeOps:</c>, the key.
/// </summary>
[OptionsValidator]
internal sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>;
