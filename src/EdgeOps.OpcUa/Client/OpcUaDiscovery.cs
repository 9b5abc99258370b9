using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Transport;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

/// <summary>One endpoint a server offers (GetEndpoints), for commissioning tools.</summary>
/// <param name="EndpointUrl">The URL the server names.</param>
/// <param name="SecurityMode">None, Sign or SignAndEncrypt.</param>
/// <param name="SecurityPolicyUri">The policy URI.</param>
/// <param name="ServerCertificate">The server certificate (DER, possibly a chain), or null.</param>
/// <param name="ApplicationUri">The server's ApplicationUri.</param>
public sealed record OpcUaEndpointInfo(string? EndpointUrl, MessageSecurity SecurityMode, string? SecurityPolicyUri, byte[]? ServerCertificate, string? ApplicationUri);

/// <summary>What a client would use on a server, and whether it would trust it (<see cref="OpcUaDiscovery.CheckAsync"/>).</summary>
/// <param name="Selected">The endpoint chosen by the same rules as <see cref="OpcUaClient"/>.</param>
/// <param name="Offered">Every endpoint the server offers.</param>
/// <param name="SecurityPolicy">The policy of <paramref name="Selected"/>.</param>
/// <param name="CertificateStatus">Good when the server certificate passes validation against the store; otherwise why not
/// (BadCertificateUntrusted, BadCertificateTimeInvalid, …). Good as well for a None endpoint without a certificate.</param>
/// <param name="CertificateProblem">The validation message when <paramref name="CertificateStatus"/> is bad.</param>
/// <param name="Thumbprint">SHA-1 thumbprint of the server certificate, or null when it sent none.</param>
public sealed record OpcUaEndpointReport(OpcUaEndpointInfo Selected, IReadOnlyList<OpcUaEndpointInfo> Offered, SecurityPolicy SecurityPolicy,
    StatusCode CertificateStatus, string? CertificateProblem, string? Thumbprint);

/// <summary>GetEndpoints on an unsecured discovery channel, without a session.</summary>
public static class OpcUaDiscovery
{
    /// <summary>
    /// Which endpoint a client with these settings would use on <paramref name="endpointUrl"/> (by the client's own
    /// selection rules, as if it had an application certificate), and whether its server certificate passes validation
    /// against <paramref name="pki"/> (or equals <paramref name="pinnedThumbprint"/>, the SHA-1 thumbprint a pinned
    /// endpoint accepts instead of the trust list). Read-only: an untrusted certificate is not copied to rejected/.
    /// </summary>
    /// <exception cref="OpcUaException">The server cannot be reached, or offers nothing these settings accept.</exception>
    public static async Task<OpcUaEndpointReport> CheckAsync(string endpointUrl, PkiStore pki, MessageSecurity? securityMode, string? securityPolicy,
        bool checkHostName, TimeSpan timeout, string? pinnedThumbprint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var offered = await GetEndpointDescriptionsAsync(endpointUrl, timeout, cancellationToken).ConfigureAwait(false);
        var selected = EndpointSelection.Select(endpointUrl, securityMode, securityPolicy, haveCertificate: true, offered);
        var policy = SecurityPolicy.Find(selected.SecurityPolicyUri) ?? SecurityPolicy.None;
        var status = StatusCode.Good;
        string? problem = null;
        string? thumbprint = null;
        if (selected.ServerCertificate is { Length: > 0 } certificate)
        {
            thumbprint = CertificateFiles.Thumbprint(CertificateFiles.FirstCertificate(certificate));
            try
            {
                new ServerCertificateValidator(pki, TimeProvider.System).Validate(certificate, endpointUrl, selected.Server.ApplicationUri,
                    policy == SecurityPolicy.None ? SecurityPolicy.Basic256Sha256 : policy, pinnedThumbprint, checkHostName, saveRejected: false);
            }
            catch (OpcUaException ex)
            {
                status = ex.Status;
                problem = ex.Message;
            }
        }
        else if (policy != SecurityPolicy.None)
        {
            status = StatusCode.BadCertificateInvalid;
            problem = $"{endpointUrl} offers {policy.Name} without a server certificate.";
        }

        return new OpcUaEndpointReport(Info(selected), [.. offered.Select(Info)], policy, status, problem, thumbprint);
    }

    /// <summary>The endpoints <paramref name="endpointUrl"/> offers.</summary>
    public static async Task<IReadOnlyList<OpcUaEndpointInfo>> GetEndpointsAsync(string endpointUrl, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        [.. (await GetEndpointDescriptionsAsync(endpointUrl, timeout, cancellationToken).ConfigureAwait(false)).Select(Info)];

    private static OpcUaEndpointInfo Info(EndpointDescription e) =>
        new(e.EndpointUrl, (MessageSecurity)e.SecurityMode, e.SecurityPolicyUri, e.ServerCertificate, e.Server.ApplicationUri);

    private static async Task<IReadOnlyList<EndpointDescription>> GetEndpointDescriptionsAsync(string endpointUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) || uri.Scheme != "opc.tcp")
        {
            throw new OpcUaException(StatusCode.BadTcpEndpointUrlInvalid, $"Endpoint URL '{endpointUrl}' is not an opc.tcp:// URL.");
        }

        await using var channel = await UaTcpChannel.OpenAsync(uri, DecodingLimits.Default, TimeProvider.System, 60_000, timeout, cancellationToken).ConfigureAwait(false);
        var request = new GetEndpointsRequest { EndpointUrl = endpointUrl };
        request.Header = channel.NewHeader(NodeId.Null, timeout);
        var response = await channel.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        if (response is not GetEndpointsResponse endpoints || response.Header.ServiceResult.IsBad)
        {
            throw new OpcUaException(response.Header.ServiceResult.IsBad ? response.Header.ServiceResult : StatusCode.BadUnknownResponse,
                $"GetEndpoints on {endpointUrl} failed: {response.Header.ServiceResult}");
        }

        return endpoints.Endpoints;
    }

    /// <summary>The distinct server certificates (leaf DER) of <paramref name="endpoints"/>.</summary>
    public static IReadOnlyList<X509Certificate2> ServerCertificates(IEnumerable<OpcUaEndpointInfo> endpoints) =>
        [.. (endpoints ?? throw new ArgumentNullException(nameof(endpoints)))
            .Where(e => e.ServerCertificate is { Length: > 0 })
            .Select(e => CertificateFiles.FirstCertificate(e.ServerCertificate).ToArray())
            .DistinctBy(Convert.ToHexString)
            .Select(X509CertificateLoader.LoadCertificate)];
}
