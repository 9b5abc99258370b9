using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EdgeOps.OpcUa;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Gateway.Doctor;

/// <summary>
/// Each OPC UA endpoint accepts TCP and answers a UA-TCP Hello with Acknowledge (OPC 10000-6 §7.1.2), which proves an
/// OPC UA server listens there, not just any port. Then GetEndpoints: the security mode and policy the gateway would
/// use (by the client's own selection rules and <c>--opcua-security</c>/<c>--opcua-policy</c>), and whether the
/// server certificate passes validation against the gateway's store (<c>{--data}/pki</c>), with the command that
/// trusts it when it does not. Read-only: nothing is written to the store. User authentication needs a session and is
/// not checked.
/// </summary>
internal sealed class OpcUaEndpointCheck : IDoctorCheck
{
    public async Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var results = new List<DoctorResult>();
        foreach (var endpoint in settings.OpcUaEndpoints)
        {
            var reachable = await CheckAsync(endpoint, settings.NetworkTimeout, cancellationToken).ConfigureAwait(false);
            results.Add(reachable);
            if (reachable.Status == DoctorStatus.Pass)
            {
                results.Add(await SecurityAsync(endpoint, settings, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    private static async Task<DoctorResult> CheckAsync(DoctorOpcUaEndpoint configured, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var endpoint = configured.Url;
        var subject = configured.Subject;
        var port = endpoint.IsDefaultPort || endpoint.Port <= 0 ? 4840 : endpoint.Port;
        using var client = new TcpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(endpoint.Host, port, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new DoctorResult("opcua", subject, DoctorStatus.Fail,
                $"no TCP connection: {(ex is SocketException s ? s.SocketErrorCode.ToString() : "timed out")}",
                "check the PLC/server is on and its OPC UA server enabled, the endpoint URL (host, port 4840 by default), and the firewall");
        }

        try
        {
            var stream = client.GetStream();
            await stream.WriteAsync(Hello(endpoint.OriginalString), cts.Token).ConfigureAwait(false);
            var header = new byte[8];
            await stream.ReadExactlyAsync(header, cts.Token).ConfigureAwait(false);
            var type = Encoding.ASCII.GetString(header, 0, 4);
            if (type == "ACKF")
            {
                return DoctorResult.Pass("opcua", subject, "UA-TCP Hello acknowledged (session and security not checked)");
            }

            var detail = type == "ERRF" ? await ErrorAsync(stream, header, cts.Token).ConfigureAwait(false) : $"unexpected reply '{type}'";
            return new DoctorResult("opcua", subject, DoctorStatus.Fail, $"not an OPC UA server reply: {detail}",
                "check the endpoint URL (the server may expect its own host name or path in it)");
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new DoctorResult("opcua", subject, DoctorStatus.Fail, $"TCP connects but no UA-TCP Acknowledge: {ex.Message}",
                "is this port the OPC UA server (not its web UI)? check the endpoint URL");
        }
    }

    private static async Task<DoctorResult> SecurityAsync(DoctorOpcUaEndpoint endpoint, DoctorSettings settings, CancellationToken cancellationToken)
    {
        const string check = "opcua-security";
        var subject = endpoint.Subject;
        var url = endpoint.Url.OriginalString;
        MessageSecurity? mode = null;
        if (endpoint.SecurityMode is { } modeText)
        {
            if (!Enum.TryParse<MessageSecurity>(modeText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                var key = endpoint.Name is null ? "--opcua-security" : "securityMode";
                return new DoctorResult(check, subject, DoctorStatus.Fail, $"{key} '{modeText}' is not one of None, Sign, SignAndEncrypt",
                    "use the securityMode of this endpoint in the line file");
            }

            mode = parsed;
        }

        var pki = new PkiStore(Path.Combine(settings.DataDirectory, "pki"));
        var trust = $"edgeops opcua trust {url} --data {settings.DataDirectory}";
        OpcUaEndpointReport report;
        try
        {
            report = await OpcUaDiscovery.CheckAsync(url, pki, mode, endpoint.SecurityPolicy, endpoint.CheckHostName,
                settings.NetworkTimeout, endpoint.PinnedThumbprint, cancellationToken).ConfigureAwait(false);
        }
        catch (OpcUaException ex)
        {
            return new DoctorResult(check, subject, DoctorStatus.Fail, ex.Message,
                "set securityMode/securityPolicy of this endpoint in the line file to one the server offers, or enable that endpoint on the server");
        }
        catch (UnauthorizedAccessException ex)
        {
            return new DoctorResult(check, subject, DoctorStatus.Warn, $"cannot read the certificate store {pki.Root}: {ex.Message}",
                "run edgeops doctor as root or as the service user");
        }

        var offered = string.Join(", ", report.Offered.Select(e => $"{e.SecurityMode}/{SecurityPolicy.Find(e.SecurityPolicyUri)?.Name ?? e.SecurityPolicyUri}").Distinct());
        var used = $"{report.Selected.SecurityMode}/{report.SecurityPolicy.Name} (offered: {offered})";
        if (report.Selected.SecurityMode == MessageSecurity.None)
        {
            return new DoctorResult(check, subject, DoctorStatus.Warn, $"security {used}: messages are neither signed nor encrypted",
                "enable a Basic256Sha256 or Aes256_Sha256_RsaPss endpoint with SignAndEncrypt on the server, or accept the risk on an isolated network");
        }

        if (report.CertificateStatus.IsGood)
        {
            var how = endpoint.PinnedThumbprint is null ? "trusted" : "pinned by serverThumbprint";
            return DoctorResult.Pass(check, subject, $"security {used}; server certificate {report.Thumbprint} {how}");
        }

        var fix = report.CertificateStatus.Is(StatusCode.BadCertificateUntrusted)
            ? $"compare the thumbprint {report.Thumbprint} with the server's own display, then run: {trust}"
            : report.CertificateStatus.Is(StatusCode.BadCertificateHostNameInvalid)
                ? "dial the host name the certificate names, or set checkServerHostName: false for this endpoint (--opcua-no-host-check for --opcua)"
                : "renew or replace the server's certificate (its administrator), then trust the new one with: " + trust;
        return new DoctorResult(check, subject, DoctorStatus.Fail,
            $"security {used}; server certificate not accepted ({report.CertificateStatus}): {report.CertificateProblem}", fix);
    }

    private static byte[] Hello(string url)
    {
        var urlBytes = Encoding.UTF8.GetBytes(url);
        var message = new byte[32 + urlBytes.Length];
        Encoding.ASCII.GetBytes("HELF").CopyTo(message, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), (uint)message.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), 0);       // protocol version
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), 65536);  // receive buffer
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(16), 65536);  // send buffer
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), 0);      // max message size: no limit
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(24), 0);      // max chunk count: no limit
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(28), urlBytes.Length);
        urlBytes.CopyTo(message, 32);
        return message;
    }

    private static async Task<string> ErrorAsync(NetworkStream stream, byte[] header, CancellationToken cancellationToken)
    {
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        if (size < 12 || size > 8192)
        {
            return "ERR";
        }

        var body = new byte[size - 8];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        var code = BinaryPrimitives.ReadUInt32LittleEndian(body);
        var length = body.Length >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(4)) : -1;
        var reason = length > 0 && 8 + length <= body.Length ? Encoding.UTF8.GetString(body, 8, length) : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"ERR 0x{code:X8} {reason}").Trim();
    }
}
