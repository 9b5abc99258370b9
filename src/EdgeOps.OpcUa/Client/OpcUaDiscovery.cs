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

/// <summary>GetEndpoints on an unsecured discovery channel, without a session.</summary>
public static class OpcUaDiscovery
{
    /// <summary>The endpoints <paramref name="endpointUrl"/> offers.</summary>
    public static async Task<IReadOnlyList<OpcUaEndpointInfo>> GetEndpointsAsync(string endpointUrl, TimeSpan timeout, CancellationToken cancellationToken = default)
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

        return [.. endpoints.Endpoints.Select(e => new OpcUaEndpointInfo(e.EndpointUrl, (MessageSecurity)e.SecurityMode, e.SecurityPolicyUri, e.ServerCertificate, e.Server.ApplicationUri))];
    }

    /// <summary>The distinct server certificates (leaf DER) of <paramref name="endpoints"/>.</summary>
    public static IReadOnlyList<X509Certificate2> ServerCertificates(IEnumerable<OpcUaEndpointInfo> endpoints) =>
        [.. (endpoints ?? throw new ArgumentNullException(nameof(endpoints)))
            .Where(e => e.ServerCertificate is { Length: > 0 })
            .Select(e => CertificateFiles.FirstCertificate(e.ServerCertificate).ToArray())
            .DistinctBy(Convert.ToHexString)
            .Select(X509CertificateLoader.LoadCertificate)];
}
