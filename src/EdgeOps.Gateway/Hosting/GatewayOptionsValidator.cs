using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Hosting;

/// <summary>
/// The attribute rules of <see cref="GatewayOptions"/> (<c>[Required]</c>, <c>[Range]</c>), checked by generated code:
/// no reflection over DataAnnotations in the trimmed build. Each attribute's message names its key.
/// </summary>
[OptionsValidator]
internal sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>;
