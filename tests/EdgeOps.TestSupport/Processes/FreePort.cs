using System.Net;
using System.Net.Sockets;

namespace EdgeOps.TestSupport.Processes;

/// <summary>Free TCP ports on the loopback interface for servers a test starts.</summary>
public static class FreePort
{
    /// <summary>Asks the OS for a free loopback port. Another process could take it before we bind; fixtures retry on bind failure.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within {timeout.TotalSeconds:0.#} s. {diagnostics?.Invoke()}");
    }
}
