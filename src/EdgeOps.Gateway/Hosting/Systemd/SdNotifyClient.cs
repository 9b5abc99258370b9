using System.Net.Sockets;
using System.Text;

namespace EdgeOps.Gateway.Hosting.Systemd;

/// <summary>
/// The sd_notify protocol without libsystemd: one datagram of <c>KEY=VALUE</c> lines to the unix socket named by
/// <c>NOTIFY_SOCKET</c>. A name starting with <c>@</c> is in the abstract namespace (leading NUL byte).
/// </summary>
public sealed class SdNotifyClient : IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;

    /// <summary>Creates a client for the socket path as systemd passes it in <c>NOTIFY_SOCKET</c>.</summary>
    public SdNotifyClient(string notifySocket)
    {
        ArgumentException.ThrowIfNullOrEmpty(notifySocket);
        SocketPath = notifySocket;
        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endPoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The socket as named in the environment.</summary>
    public string SocketPath { get; }

    /// <summary>
    /// Sends one notification (for example <c>READY=1</c> or <c>WATCHDOG=1</c>; several lines may go in one
    /// message). Returns false when the socket refused it: systemd may be gone, and that must never stop the service.
    /// </summary>
    public bool Send(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _endPoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
