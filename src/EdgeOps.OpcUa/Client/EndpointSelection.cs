using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

/// <summary>
/// Picks the endpoint of GetEndpoints to use: the configured mode and policy when set, otherwise the most secure one
/// we support (SignAndEncrypt, then Sign, then None; within a mode the strongest policy). Without an application
/// certificate only None can be used. Deprecated policies (Basic128Rsa15, Basic256) are never chosen for a channel.
/// </summary>
internal static class EndpointSelection
{
    public static EndpointDescription Select(OpcUaClientOptions options, IReadOnlyList<EndpointDescription> offered) =>
        Select(options.EndpointUrl, options.SecurityMode, options.SecurityPolicy, options.Certificate is not null, offered);

    public static EndpointDescription Select(string endpointUrl, MessageSecurity? securityMode, string? securityPolicy, bool haveCertificate,
        IReadOnlyList<EndpointDescription> offered)
    {
        SecurityPolicy? wantedPolicy = null;
        if (!string.IsNullOrEmpty(securityPolicy))
        {
            wantedPolicy = SecurityPolicy.Find(securityPolicy);
            if (wantedPolicy is null || !SecurityPolicy.Supported.Contains(wantedPolicy))
            {
                throw new OpcUaException(StatusCode.BadSecurityPolicyRejected,
                    $"Security policy '{securityPolicy}' is not supported; use one of {string.Join(", ", SecurityPolicy.Supported)}.");
            }
        }

        var usable = offered
            .Where(e => e.TransportProfileUri is null || e.TransportProfileUri.EndsWith("uatcp-uasc-uabinary", StringComparison.Ordinal))
            .Select(e => (Endpoint: e, Policy: SecurityPolicy.Find(e.SecurityPolicyUri)))
            .Where(x => x.Policy is not null && SecurityPolicy.Supported.Contains(x.Policy)
                && (x.Endpoint.SecurityMode == MessageSecurityMode.None) == (x.Policy == SecurityPolicy.None)
                && x.Endpoint.SecurityMode is MessageSecurityMode.None or MessageSecurityMode.Sign or MessageSecurityMode.SignAndEncrypt)
            .Where(x => securityMode is null || (int)x.Endpoint.SecurityMode == (int)securityMode)
            .Where(x => wantedPolicy is null || x.Policy == wantedPolicy || x.Endpoint.SecurityMode == MessageSecurityMode.None && wantedPolicy == SecurityPolicy.None)
            .ToList();
        if (!haveCertificate && securityMode is null)
        {
            // No certificate: secure endpoints are out of reach, so only None remains.
            usable = [.. usable.Where(x => x.Endpoint.SecurityMode == MessageSecurityMode.None)];
        }

        var best = usable
            .OrderByDescending(x => (int)x.Endpoint.SecurityMode)
            .ThenByDescending(x => x.Policy!.Rank)
            .Select(x => x.Endpoint)
            .FirstOrDefault();
        if (best is null)
        {
            var offeredText = string.Join(", ", offered.Select(e => $"{e.SecurityMode}/{SecurityPolicy.Find(e.SecurityPolicyUri)?.Name ?? e.SecurityPolicyUri}"));
            var wanted = $"{securityMode?.ToString() ?? "any mode"}/{wantedPolicy?.Name ?? "any policy"}";
            throw new OpcUaException(StatusCode.BadSecurityPolicyRejected,
                $"{endpointUrl} offers no endpoint for {wanted}{(!haveCertificate ? " without an application certificate" : string.Empty)} (offered: {offeredText}).");
        }

        if (best.SecurityMode != MessageSecurityMode.None && !haveCertificate)
        {
            throw new OpcUaException(StatusCode.BadSecurityPolicyRejected,
                $"{endpointUrl}: {best.SecurityMode} needs an application certificate; configure one (the gateway creates it under its data directory).");
        }

        return best;
    }
}
