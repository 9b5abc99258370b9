using EdgeOps.Modbus;
using EdgeOps.TestSupport.Modbus;

namespace EdgeOps.Modbus.Tests;

/// <summary>The client against Debian's pymodbus 3.0 server: data types, writes, exception responses, pipelining, restarts.</summary>
public sealed class ClientAgainstPymodbusTests : IAsyncLifetime
{
    // Each value as the device holds it, most significant register first, high byte first ("ABCD"): written out by hand
    // from IEEE 754 and two's complement, not computed by the codec under test.
    private static readonly (ModbusDataType Type, double Value, ushort[] Registers)[] Samples =
    [
        (ModbusDataType.Int16, -12345, [0xCFC7]),
        (ModbusDataType.UInt16, 54321, [0xD431]),
        (ModbusDataType.Int32, -123456789, [0xF8A4, 0x32EB]),
        (ModbusDataType.UInt32, 3000000000, [0xB2D0, 0x5E00]),
        (ModbusDataType.Float32, 123.456f, [0x42F6, 0xE979]),
        (ModbusDataType.Int64, -1234567890123456789, [0xEEDD, 0xEF0B, 0x8216, 0x7EEB]),
        (ModbusDataType.Float64, 3.141592653589793, [0x4009, 0x21FB, 0x5444, 0x2D18]),
    ];

    private readonly ModbusTestServer _server = new();

    public async Task InitializeAsync()
    {
        var unit = _server.Map.Unit(1);
        var address = 0;
        foreach (var (_, _, registers) in Samples)
        {
            foreach (var (words, bytes) in Layouts)
            {
                unit.SetHolding(address, Arrange(registers, words, bytes));
                unit.SetInput(address, Arrange(registers, words, bytes));
                address += 4;
            }
        }

        unit.SetHolding(500, 0b1010_0000_0000_0101); // a status word
        unit.SetHolding(1000, new ushort[10]);
        for (var i = 0; i < 16; i++)
        {
            unit.Coils[i] = i % 3 == 0;
            unit.Discrete[i] = i % 2 == 1;
        }

        unit.Coils[100] = false;
        unit.Coils[101] = false;
        unit.Coils[102] = false;
        _server.Map.Unit(2).SetHolding(0, 2222);
        await _server.StartAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private static readonly (ModbusWordOrder Words, ModbusByteOrder Bytes)[] Layouts =
    [
        (ModbusWordOrder.Big, ModbusByteOrder.Big),
        (ModbusWordOrder.Little, ModbusByteOrder.Big),
        (ModbusWordOrder.Big, ModbusByteOrder.Little),
        (ModbusWordOrder.Little, ModbusByteOrder.Little),
    ];

    private static ushort[] Arrange(ushort[] abcd, ModbusWordOrder words, ModbusByteOrder bytes)
    {
        var result = words == ModbusWordOrder.Big ? abcd.ToArray() : abcd.Reverse().ToArray();
        return bytes == ModbusByteOrder.Big ? result : [.. result.Select(w => (ushort)((w >> 8) | (w << 8)))];
    }

    private ModbusClient NewClient(int maxInFlight = 1, int timeoutMs = 2000) => new(new ModbusClientOptions
    {
        Host = _server.Host,
        Port = _server.Port,
        MaxInFlight = maxInFlight,
        RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
    });

    [Fact]
    public async Task EveryDataTypeInEveryWordAndByteOrder_ReadsBackWhatTheServerHolds()
    {
        await using var client = NewClient();
        var address = 0;
        foreach (var (type, value, _) in Samples)
        {
            foreach (var (words, bytes) in Layouts)
            {
                var holding = await client.ReadHoldingRegistersAsync(1, (ushort)address, type.RegisterCount());
                var input = await client.ReadInputRegistersAsync(1, (ushort)address, type.RegisterCount());
                Assert.Equal(value, ModbusValueCodec.Decode(holding, type, words, bytes));
                Assert.Equal(value, ModbusValueCodec.Decode(input, type, words, bytes));
                address += 4;
            }
        }

        var status = await client.ReadHoldingRegistersAsync(1, 500, 1);
        Assert.Equal([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1],
            Enumerable.Range(0, 16).Select(b => ModbusValueCodec.Decode(status, ModbusDataType.Bit, bit: b)));
        Assert.Equal(1, ModbusValueCodec.Decode(status, ModbusDataType.Bool));

        Assert.Equal(Enumerable.Range(0, 16).Select(i => i % 3 == 0), await client.ReadCoilsAsync(1, 0, 16));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i % 2 == 1), await client.ReadDiscreteInputsAsync(1, 0, 16));
        Assert.Equal([2222], await client.ReadHoldingRegistersAsync(2, 0, 1));
    }

    [Fact]
    public async Task EncodedValues_RoundTripThroughTheServer_InEveryLayout()
    {
        await using var client = NewClient();
        var registers = new ushort[4];
        foreach (var (type, value, _) in Samples)
        {
            foreach (var (words, bytes) in Layouts)
            {
                var slice = registers.AsMemory(0, type.RegisterCount());
                ModbusValueCodec.Encode(value, type, slice.Span, words, bytes);
                await client.WriteMultipleRegistersAsync(1, 1000, slice);
                var back = await client.ReadHoldingRegistersAsync(1, 1000, type.RegisterCount());
                Assert.Equal(value, ModbusValueCodec.Decode(back, type, words, bytes));
            }
        }
    }

    [Fact]
    public async Task Writes_OfEveryFunctionCode_Land()
    {
        await using var client = NewClient();
        await client.WriteSingleRegisterAsync(1, 1000, 4242);
        await client.WriteMultipleRegistersAsync(1, 1001, new ushort[] { 1, 2, 3 });
        await client.WriteSingleCoilAsync(1, 100, true);
        await client.WriteMultipleCoilsAsync(1, 101, new[] { true, true });
        Assert.Equal([4242, 1, 2, 3], await client.ReadHoldingRegistersAsync(1, 1000, 4));
        Assert.Equal(new[] { true, true, true }, await client.ReadCoilsAsync(1, 100, 3));
        await client.WriteSingleCoilAsync(1, 101, false);
        Assert.Equal(new[] { true, false, true }, await client.ReadCoilsAsync(1, 100, 3));
    }

    [Fact]
    public async Task ExceptionResponses_AreSurfacedByName()
    {
        await using var client = NewClient();
        var read = await Assert.ThrowsAsync<ModbusServerException>(() => client.ReadHoldingRegistersAsync(1, 2000, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, read.Code);
        Assert.Contains("IllegalDataAddress", read.Message, StringComparison.Ordinal);
        Assert.Contains("read holding registers at 2000", read.Message, StringComparison.Ordinal);

        var write = await Assert.ThrowsAsync<ModbusServerException>(() => client.WriteSingleRegisterAsync(1, 3000, 1));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, write.Code);

        // The connection survives an exception response.
        Assert.Equal([2222], await client.ReadHoldingRegistersAsync(2, 0, 1));
        Assert.Equal(1, client.Connects);
    }

    [Fact]
    public async Task UnitThatDoesNotAnswer_TimesOutNamingTheUnit_AndTheOtherUnitsStillWork()
    {
        await using var client = NewClient(timeoutMs: 300);
        var error = await Assert.ThrowsAsync<ModbusTimeoutException>(() => client.ReadHoldingRegistersAsync(9, 0, 1));
        Assert.Contains("unit 9", error.Message, StringComparison.Ordinal);
        Assert.Contains(_server.Endpoint, error.Message, StringComparison.Ordinal);
        Assert.Equal([2222], await client.ReadHoldingRegistersAsync(2, 0, 1));
    }

    [Fact]
    public async Task SeveralRequestsInFlight_EachGetsItsOwnResponse()
    {
        await using var client = NewClient(maxInFlight: 8);
        var reads = Enumerable.Range(0, 200).Select(async i =>
        {
            var unit = (byte)(i % 2 == 0 ? 1 : 2);
            var values = await client.ReadHoldingRegistersAsync(unit, (ushort)(unit == 1 ? 500 : 0), 1);
            return (unit, values[0]);
        });
        foreach (var (unit, value) in await Task.WhenAll(reads))
        {
            Assert.Equal(unit == 1 ? 0b1010_0000_0000_0101 : 2222, value);
        }
    }

    [Fact]
    public async Task ServerKilledAndRestartedFiveTimes_ClientFailsClearlyThenRecoversWithoutBeingRemade()
    {
        await using var client = NewClient(timeoutMs: 500);
        Assert.Equal([2222], await client.ReadHoldingRegistersAsync(2, 0, 1));
        for (var round = 1; round <= 5; round++)
        {
            _server.Kill();
            var error = await Assert.ThrowsAnyAsync<ModbusException>(() => client.ReadHoldingRegistersAsync(2, 0, 1));
            Assert.Contains(_server.Endpoint, error.Message, StringComparison.Ordinal);
            Assert.False(client.IsConnected);

            _server.Map.Unit(2).SetHolding(0, (ushort)(2222 + round));
            await _server.StartAsync();
            var value = await EventuallyAsync(() => client.ReadHoldingRegistersAsync(2, 0, 1));
            Assert.Equal(2222 + round, value[0]);
        }

        Assert.Equal(6, client.Connects);
    }

    [Fact]
    public async Task ReceiveThread_OnePerConnection_EndsWhenTheDeviceDropsAndWhenTheClientIsDisposed()
    {
        var name = "Modbus rx " + _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var client = NewClient(timeoutMs: 500);
        try
        {
            Assert.Equal([2222], await client.ReadHoldingRegistersAsync(2, 0, 1));
            await WaitForThreadsAsync(name, 1);

            _server.Kill();
            await Assert.ThrowsAnyAsync<ModbusException>(() => client.ReadHoldingRegistersAsync(2, 0, 1));
            await WaitForThreadsAsync(name, 0);

            await _server.StartAsync();
            await EventuallyAsync(() => client.ReadHoldingRegistersAsync(2, 0, 1));
            await WaitForThreadsAsync(name, 1);
        }
        finally
        {
            await client.DisposeAsync();
        }

        await WaitForThreadsAsync(name, 0);
    }

    [Fact]
    public async Task DeviceThatIsNotThere_FailsFast_WithBackoffNamedInTheError()
    {
        await using var client = new ModbusClient(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = EdgeOps.TestSupport.Processes.FreePort.Next(),
            ReconnectMinDelay = TimeSpan.FromSeconds(5),
        });
        var first = await Assert.ThrowsAsync<ModbusConnectionException>(() => client.ReadHoldingRegistersAsync(1, 0, 1));
        Assert.Contains("connect failed", first.Message, StringComparison.Ordinal);
        var second = await Assert.ThrowsAsync<ModbusConnectionException>(() => client.ReadHoldingRegistersAsync(1, 0, 1));
        Assert.Contains("next attempt in", second.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Connects);
    }

    /// <summary>Waits (generously) until this process has <paramref name="expected"/> threads named <paramref name="name"/>.</summary>
    private static async Task WaitForThreadsAsync(string name, int expected)
    {
        static int Count(string name) => Directory.EnumerateDirectories("/proc/self/task").Count(task =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(task, "comm")).Trim() == name;
            }
            catch (IOException)
            {
                return false; // the thread ended while we looked
            }
        });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Count(name) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Count(name)} threads named '{name}', expected {expected}");
            await Task.Delay(50);
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> action)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (ModbusException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
