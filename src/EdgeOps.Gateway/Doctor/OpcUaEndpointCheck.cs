using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace EdgeOps.Gateway.Doctor;

/// <summary>
/// Each OPC UA endpoint accepts TCP and answers a UA-TCP Hello with Acknowledge (OPC 10000-6 §7.1.2), which proves an
/// OPC UA server listens there, not just any port. Security policy, certificate trust and user authentication
/// need a session: future work once the OPC UA client can be driven from here.
/// </summary>
internal sealed class OpcUaEndpointCheck : IDoctorCheck
{
    public async Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var results = new List<DoctorResult>();
        foreach (var endpoint in settings.OpcUaEndpoints)
        {
            results.Add(await CheckAsync(endpoint, settings.NetworkTimeout, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private static async Task<DoctorResult> CheckAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var subject = endpoint.OriginalString;
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
