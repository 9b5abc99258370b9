using System.Net;
using System.Net.Sockets;

namespace EdgeOps.Historian.Tests.Mqtt;

/// <summary>
/// A loopback TCP server that plays a broker from a script of raw bytes: it reads the client's CONNECT, then sends the
/// given bytes and keeps the connection open. For what no real broker sends: malformed and unexpected packets.
/// </summary>
internal sealed class ScriptedBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _serve;
    private readonly CancellationTokenSource _stop = new();

    public ScriptedBroker(params byte[][] script)
    {
        _listener.Start();
        _serve = ServeAsync(script);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serve;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>CONNACK: no session, success, no properties.</summary>
    public static byte[] ConnAckSuccess => [0x20, 0x03, 0x00, 0x00, 0x00];

    /// <summary>A well-formed QoS 1 PUBLISH.</summary>
    public static byte[] Publish(string topic, ushort packetId, string payload)
    {
        var t = System.Text.Encoding.UTF8.GetBytes(topic);
        var p = System.Text.Encoding.UTF8.GetBytes(payload);
        var body = new List<byte> { (byte)(t.Length >> 8), (byte)t.Length };
        body.AddRange(t);
        body.Add((byte)(packetId >> 8));
        body.Add((byte)packetId);
        body.Add(0);
        body.AddRange(p);
        if (body.Count > 127)
        {
            throw new ArgumentException("Keep scripted packets under 128 bytes.", nameof(payload));
        }

        return [0x32, (byte)body.Count, .. body];
    }

    private async Task ServeAsync(byte[][] script)
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        var stream = client.GetStream();
        var connect = new byte[1024];
        _ = await stream.ReadAsync(connect, _stop.Token);
        foreach (var bytes in script)
        {
            await stream.WriteAsync(bytes, _stop.Token);
        }

        // Hold the connection (and read what the client sends) until the test ends.
        while (await stream.ReadAsync(connect, _stop.Token) > 0)
        {
        }
    }
}
