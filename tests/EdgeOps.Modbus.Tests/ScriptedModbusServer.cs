using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EdgeOps.Modbus.Tests;

/// <summary>What the scripted server does to the correct response of the next request.</summary>
public enum Mutation
{
    None,
    WrongTransactionId,
    WrongProtocolId,
    LengthTooLarge,
    LengthTooSmall,
    WrongByteCount,
    WrongFunctionCode,
    WrongUnitId,
    ExceptionResponse,
    ExceptionResponseTooLong,
    DataShorterThanByteCount,
    TruncatedThenClosed,
    TruncatedThenSilent,
    NoAnswer,
    TrailingGarbage,
    RandomBytes,
}

/// <summary>
/// A Modbus TCP "device" on a free loopback port that answers each read with the correct response (holding register
/// n holds n; coil n is set when n is odd), then applies <see cref="Next"/> to it. Requests are answered in order;
/// the fuzz test keeps one in flight, so it knows which mutation each response got.
/// </summary>
public sealed class ScriptedModbusServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly Task _loop;

    public ScriptedModbusServer(int seed)
    {
        _random = new Random(seed);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public Mutation Next { get; set; }

    /// <summary>The exception code the next <see cref="Mutation.ExceptionResponse"/> carries.</summary>
    public byte ExceptionCode { get; set; } = 6;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            // One connection at a time, as the client makes them: a dropped connection is followed by a new one.
            using var stream = new NetworkStream(socket, ownsSocket: true);
            try
            {
                await ServeAsync(stream);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client dropped the connection.
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream)
    {
        var request = new byte[260];
        var response = new byte[600];
        while (true)
        {
            await stream.ReadExactlyAsync(request.AsMemory(0, 12), _stop.Token);
            var function = request[7];
            var address = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(8));
            var count = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(10));
            var length = Build(request, function, address, count, response);
            var mutation = Next;
            switch (mutation)
            {
                case Mutation.WrongTransactionId:
                    response[1] ^= 0x5A;
                    break;
                case Mutation.WrongProtocolId:
                    response[3] = (byte)_random.Next(1, 256);
                    break;
                case Mutation.LengthTooLarge:
                    BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(4), (ushort)_random.Next(255, 65536));
                    break;
                case Mutation.LengthTooSmall:
                    BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(4), (ushort)_random.Next(0, 3));
                    break;
                case Mutation.WrongByteCount:
                    response[8] = (byte)(response[8] + _random.Next(1, 255));
                    break;
                case Mutation.WrongFunctionCode:
                    response[7] = (byte)(function + _random.Next(1, 100));
                    break;
                case Mutation.WrongUnitId:
                    response[6] ^= 0x01;
                    break;
                case Mutation.ExceptionResponse:
                    response[7] = (byte)(function | 0x80);
                    response[8] = ExceptionCode;
                    BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(4), 3);
                    length = 9;
                    break;
                case Mutation.ExceptionResponseTooLong:
                    response[7] = (byte)(function | 0x80);
                    response[8] = 2;
                    break;
                case Mutation.DataShorterThanByteCount:
                    // A consistent MBAP length, but fewer data bytes than the byte count promises.
                    length -= 1;
                    BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(4), (ushort)(length - 6));
                    break;
                case Mutation.TruncatedThenClosed:
                    await stream.WriteAsync(response.AsMemory(0, _random.Next(1, length)), _stop.Token);
                    return;
                case Mutation.TruncatedThenSilent:
                    await stream.WriteAsync(response.AsMemory(0, _random.Next(8, length)), _stop.Token);
                    continue;
                case Mutation.NoAnswer:
                    continue;
                case Mutation.TrailingGarbage:
                    var extra = _random.Next(1, 40);
                    _random.NextBytes(response.AsSpan(length, extra));
                    length += extra;
                    break;
                case Mutation.RandomBytes:
                    // Any byte but the MBAP length (a length raised within the limit only makes the client wait for
                    // bytes that never come: a timeout, which TruncatedThenSilent covers; here it would only be slow).
                    for (var flips = _random.Next(1, 4); flips > 0; flips--)
                    {
                        var at = _random.Next(length - 2);
                        response[at < 4 ? at : at + 2] = (byte)_random.Next(256);
                    }

                    if (_random.Next(4) == 0)
                    {
                        await stream.WriteAsync(response.AsMemory(0, _random.Next(1, length)), _stop.Token);
                        return;
                    }

                    break;
            }

            await stream.WriteAsync(response.AsMemory(0, length), _stop.Token);
        }
    }

    private static int Build(byte[] request, byte function, ushort address, ushort count, byte[] response)
    {
        request.AsSpan(0, 7).CopyTo(response); // transaction id, protocol id, (length), unit id
        response[7] = function;
        int pdu;
        if (function is ModbusFunctions.ReadCoils or ModbusFunctions.ReadDiscreteInputs)
        {
            var bytes = (count + 7) / 8;
            response[8] = (byte)bytes;
            response.AsSpan(9, bytes).Clear();
            for (var i = 0; i < count; i++)
            {
                if (((address + i) & 1) == 1)
                {
                    response[9 + (i >> 3)] |= (byte)(1 << (i & 7));
                }
            }

            pdu = 2 + bytes;
        }
        else
        {
            response[8] = (byte)(count * 2);
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(9 + (i * 2)), (ushort)(address + i));
            }

            pdu = 2 + (count * 2);
        }

        BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(4), (ushort)(pdu + 1));
        return 7 + pdu;
    }
}
