using System.Diagnostics;
using System.Globalization;

namespace EdgeOps.Modbus.Tests;

/// <summary>
/// Malformed and mutated responses: wrong lengths, transaction, protocol and unit ids, byte counts and function codes,
/// truncated frames, exception responses, trailing garbage and random bytes. Each must end in the right values or a
/// <see cref="ModbusException"/> whose message names the device; nothing else may escape, nothing may hang, allocation
/// stays bounded. EDGEOPS_FUZZ_ITERATIONS sets the number of responses through the socket (CI default 10,000; the long
/// campaign runs 1,000,000); the frame checks alone see 1,000,000 or that many, whichever is more.
/// </summary>
public sealed class ResponseFuzzTests
{
    private static int? Configured =>
        int.TryParse(Environment.GetEnvironmentVariable("EDGEOPS_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    [Fact]
    public async Task MutatedResponsesFromAScriptedSocket_EachEndInTheRightValuesOrAClearModbusError()
    {
        var iterations = Configured ?? 10_000;
        var random = new Random(20261207);
        await using var server = new ScriptedModbusServer(seed: 7);
        await using var client = new ModbusClient(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            RequestTimeout = TimeSpan.FromSeconds(1),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(1),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(1),
        });
        var mutations = Enum.GetValues<Mutation>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var registers = new ushort[125];
        var bits = new bool[2000];
        await client.ReadRegistersAsync(ModbusTable.HoldingRegister, 1, 0, registers); // warm up: connect, JIT
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var dirty = false;
        var slowAnswers = 0;
        var slowest = 0.0;
        for (var i = 0; i < iterations; i++)
        {
            // Silences cost a timeout each: keep them rare so the campaign stays fast.
            var mutation = mutations[random.Next(mutations.Length)];
            if (mutation is Mutation.NoAnswer or Mutation.TruncatedThenSilent && random.Next(200) != 0)
            {
                mutation = Mutation.None;
            }

            server.Next = mutation;
            server.ExceptionCode = (byte)random.Next(0, 256);
            var bitsRead = random.Next(4) == 0;
            var count = bitsRead ? random.Next(1, 2001) : random.Next(1, 126);
            var address = (ushort)random.Next(0, 65536 - count);
            var started = Stopwatch.GetTimestamp();
            var connectsBefore = client.Connects;
            string outcome;
            try
            {
                var read = bitsRead
                    ? client.ReadBitsAsync(ModbusTable.Coil, 1, address, bits.AsMemory(0, count))
                    : client.ReadRegistersAsync(ModbusTable.HoldingRegister, 1, address, registers.AsMemory(0, count));
                // Far above the 1 s request timeout: only a request the client never ends would reach it.
                await read.WaitAsync(TimeSpan.FromSeconds(30));
                for (var k = 0; k < count; k++)
                {
                    if (bitsRead ? bits[k] != (((address + k) & 1) == 1) : registers[k] != (ushort)(address + k))
                    {
                        // Only a mutation that left the frame well-formed can change data unnoticed (random bytes in the data).
                        Assert.True(mutation is Mutation.RandomBytes or Mutation.TrailingGarbage, $"#{i} {mutation}: wrong value at {address + k} accepted");
                    }
                }

                outcome = "ok";
                Assert.True(mutation is Mutation.None or Mutation.TrailingGarbage or Mutation.RandomBytes || dirty && client.Connects == connectsBefore,
                    $"#{i} {mutation}: accepted");
            }
            catch (ModbusException ex)
            {
                Assert.Contains("127.0.0.1:", ex.Message, StringComparison.Ordinal);
                outcome = ex.GetType().Name;

                // Garbage a previous answer left on the line (trailing bytes, a length field changed by random bytes)
                // is read before this answer: then any clear error is right, the mutation's own is not required.
                if (ex is ModbusTimeoutException && mutation is not (Mutation.NoAnswer or Mutation.TruncatedThenSilent))
                {
                    // An answer that took over a second on a loaded machine: still a clear error, and counted below.
                    slowAnswers++;
                }
                else if (!dirty || client.Connects > connectsBefore)
                {
                    AssertExpected(mutation, ex, i);
                }
            }
            catch (TimeoutException)
            {
                Assert.Fail($"#{i} {mutation}: the request hung past 30 s");
                return;
            }
            catch (Exception ex)
            {
                Assert.Fail($"#{i} {mutation}: {ex.GetType().Name} escaped: {ex}");
                return;
            }

            slowest = Math.Max(slowest, Stopwatch.GetElapsedTime(started).TotalSeconds);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            dirty = mutation is Mutation.TrailingGarbage or Mutation.RandomBytes || outcome == nameof(ModbusTimeoutException)
                || (dirty && client.Connects == connectsBefore);
        }

        // Per response: a reconnect now and then (socket, stream, buffers) and an exception's message, never a buffer
        // sized by a length field (those go up to 65535).
        var perResponse = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / iterations;
        Assert.True(perResponse < 24_000, $"{perResponse} bytes allocated per response");
        Assert.True(slowAnswers <= 5 + (iterations / 100), $"{slowAnswers} answers timed out without a silence mutation (slowest request {slowest:0.0} s)");
        Assert.True(outcomes.GetValueOrDefault("ok") > iterations / 20, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(nameof(ModbusProtocolException)) > iterations / 20, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(nameof(ModbusServerException)) > 0, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(nameof(ModbusConnectionException)) > 0, string.Join(", ", outcomes));
    }

    private static void AssertExpected(Mutation mutation, ModbusException ex, int i)
    {
        var message = $"#{i} {mutation}: {ex.GetType().Name}: {ex.Message}";
        switch (mutation)
        {
            case Mutation.WrongTransactionId:
                // An id never sent; the request itself then fails with the dropped connection.
                Assert.True(Is<ModbusProtocolException>(ex, "transaction id"), message);
                break;
            case Mutation.WrongProtocolId:
                Assert.True(Is<ModbusProtocolException>(ex, "protocol id"), message);
                break;
            case Mutation.LengthTooLarge or Mutation.LengthTooSmall:
                Assert.True(Is<ModbusProtocolException>(ex, "MBAP length"), message);
                break;
            case Mutation.WrongByteCount or Mutation.DataShorterThanByteCount:
                Assert.True(Is<ModbusProtocolException>(ex, "byte count"), message);
                break;
            case Mutation.WrongFunctionCode:
                Assert.True(Is<ModbusProtocolException>(ex, "function code") || Is<ModbusProtocolException>(ex, "exception response"), message);
                break;
            case Mutation.WrongUnitId:
                Assert.True(Is<ModbusProtocolException>(ex, "unit id"), message);
                break;
            case Mutation.ExceptionResponse:
                var server = Assert.IsType<ModbusServerException>(ex);
                Assert.Contains(ModbusServerException.Name(server.Code), ex.Message, StringComparison.Ordinal);
                break;
            case Mutation.ExceptionResponseTooLong:
                Assert.True(Is<ModbusProtocolException>(ex, "exception response is"), message);
                break;
            case Mutation.TruncatedThenClosed:
                Assert.True(Is<ModbusConnectionException>(ex, "closed the connection"), message);
                break;
            case Mutation.TruncatedThenSilent or Mutation.NoAnswer:
                Assert.True(ex is ModbusTimeoutException, message);
                break;
            case Mutation.None:
                // A well-formed answer after garbage left on the line by the previous mutation: the stream was dropped.
                Assert.True(ex is ModbusProtocolException or ModbusConnectionException, message);
                break;
            default:
                break;
        }
    }

    private static bool Is<T>(ModbusException ex, string text)
        where T : ModbusException => ex is T && ex.Message.Contains(text, StringComparison.Ordinal);

    [Fact]
    public void FrameChecks_MillionMutatedFrames_RejectWithAReason_NeverThrow_AllocateOnlyTheMessage()
    {
        var iterations = Math.Max(Configured ?? 0, 1_000_000);
        var random = new Random(42);
        var frame = new byte[300];
        var registers = new ushort[125];
        var rejected = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            var count = random.Next(1, 126);
            var function = (byte)random.Next(1, 5);
            var request = new ModbusRequest(function, 1, (ushort)random.Next(65536 - count), count);
            var pduLength = function <= 2 ? 2 + ((count + 7) / 8) : 2 + (count * 2);
            frame[0] = 0;
            frame[1] = 1;
            frame[2] = 0;
            frame[3] = 0;
            frame[4] = (byte)((pduLength + 1) >> 8);
            frame[5] = (byte)(pduLength + 1);
            frame[6] = 1;
            frame[7] = function;
            frame[8] = (byte)(pduLength - 2);
            for (var flips = random.Next(0, 4); flips > 0; flips--)
            {
                frame[random.Next(7 + pduLength)] = (byte)random.Next(256);
            }

            var received = random.Next(4) == 0 ? random.Next(0, 7 + pduLength) : 7 + pduLength;
            var declared = 0;
            var error = received < 7 ? "short" : ModbusFrame.CheckHeader(frame, out _, out _, out declared);
            if (error is null)
            {
                var pdu = frame.AsSpan(7, Math.Min(declared, received - 7));
                error = ModbusFrame.CheckResponse(pdu, request, out var exception);
                if (error is null && exception is null)
                {
                    ModbusFrame.ReadRegisters(pdu, registers.AsSpan(0, function <= 2 ? 0 : count));
                }
            }

            if (error is not null)
            {
                Assert.NotEmpty(error);
                rejected++;
            }
        }

        var perFrame = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / iterations;
        Assert.True(perFrame < 400, $"{perFrame} bytes per frame");
        Assert.InRange(rejected, iterations / 4, iterations - 1);
    }
}
