using System.Net.Sockets;

namespace EdgeOps.Gateway.Doctor;

/// <summary>A bounded TCP connect attempt.</summary>
internal static class TcpProbe
{
    /// <summary>Null when something accepted the connection, otherwise why not.</summary>
    public static async Task<string?> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            return null;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode.ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"timed out after {timeout.TotalSeconds:0.#} s";
        }
    }
}
