using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EdgeOps.TestSupport.OpcUa;

/// <summary>
/// A man in the middle for OPC UA tests: forwards a loopback port to a server and, when armed, flips one byte in the
/// body of the next server-to-client MSG chunk at least <see cref="MinimumChunkSize"/> bytes long (a Publish response
/// with data), as an attacker or a broken device on the path would. <see cref="SubstituteNext"/> instead swaps bytes
/// (a certificate) in the next readable server-to-client MSG chunk that holds them, as an attacker on a None channel can.
/// </summary>
public sealed class TamperingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _accept;
    private int _armed;
    private (byte[] Find, byte[] Replace)? _substitution;
    private int _substituted;
    private int _tampered;

    public TamperingProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The same server path, through the proxy.</summary>
    public string EndpointUrl(string upstreamUrl) => upstreamUrl.Replace($":{_upstreamPort}/", $":{Port}/", StringComparison.Ordinal);

    public int MinimumChunkSize { get; init; } = 100;

    /// <summary>Chunks altered so far.</summary>
    public int Tampered => Volatile.Read(ref _tampered);

    /// <summary>Alters the next suitable chunk.</summary>
    public void TamperNext() => Interlocked.Exchange(ref _armed, 1);

    /// <summary>Chunks in which <see cref="SubstituteNext"/> replaced bytes so far.</summary>
    public int Substituted => Volatile.Read(ref _substituted);

    /// <summary>
    /// In the next server-to-client MSG chunk that contains <paramref name="find"/>, replaces every occurrence with
    /// <paramref name="replace"/> and corrects the chunk's size. Only meaningful on an unencrypted (None) channel.
    /// </summary>
    public void SubstituteNext(byte[] find, byte[] replace)
    {
        lock (_sockets)
        {
            _substitution = (find, replace);
        }
    }

    private byte[]? TrySubstitute(ReadOnlySpan<byte> chunk)
    {
        (byte[] Find, byte[] Replace) substitution;
        lock (_sockets)
        {
            if (_substitution is not { } s || !chunk[..3].SequenceEqual("MSG"u8) || chunk.IndexOf(s.Find) < 0)
            {
                return null;
            }

            substitution = s;
            _substitution = null;
        }

        var output = new List<byte>(chunk.Length + substitution.Replace.Length);
        var rest = chunk;
        for (var at = rest.IndexOf(substitution.Find); at >= 0; at = rest.IndexOf(substitution.Find))
        {
            output.AddRange(rest[..at]);
            output.AddRange(substitution.Replace);
            rest = rest[(at + substitution.Find.Length)..];
        }

        output.AddRange(rest);
        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)result.Length);
        Interlocked.Increment(ref _substituted);
        return result;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient { NoDelay = true };
                client.NoDelay = true;
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                    _tasks.Add(PumpAsync(client.GetStream(), server.GetStream(), tamper: false, client, server));
                    _tasks.Add(PumpAsync(server.GetStream(), client.GetStream(), tamper: true, client, server));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool tamper, TcpClient a, TcpClient b)
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                await from.ReadExactlyAsync(buffer.AsMemory(0, 8), _stop.Token);
                var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4));
                if (size < 8 || size > buffer.Length)
                {
                    break;
                }

                await from.ReadExactlyAsync(buffer.AsMemory(8, size - 8), _stop.Token);
                if (tamper && size >= MinimumChunkSize && buffer.AsSpan(0, 3).SequenceEqual("MSG"u8) && Interlocked.Exchange(ref _armed, 0) == 1)
                {
                    // Past the headers (24 bytes), inside the body or its encryption.
                    buffer[24 + (size - 24) / 2] ^= 0x01;
                    Interlocked.Increment(ref _tampered);
                }

                if (tamper && TrySubstitute(buffer.AsSpan(0, size)) is { } substituted)
                {
                    await to.WriteAsync(substituted, _stop.Token);
                    continue;
                }

                await to.WriteAsync(buffer.AsMemory(0, size), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or EndOfStreamException or SocketException)
        {
            // One side closed: close both.
        }

        a.Dispose();
        b.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accept;
        Task[] tasks;
        lock (_sockets)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks);
        _stop.Dispose();
    }
}
