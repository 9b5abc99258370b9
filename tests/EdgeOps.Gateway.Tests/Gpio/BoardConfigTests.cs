using EdgeOps.Gateway.Configuration;
using EdgeOps.Gateway.Configuration.Bindings;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Gpio;

public sealed class BoardConfigTests : IDisposable
{
    private readonly GpioConfigFixture _fixture = new();

    public static TheoryData<string> ShippedBoards()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.File("firmware-config", "boards"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedBoards))]
    public void ShippedBoard_LoadsWithoutErrors(string id)
    {
        var (board, errors) = BoardFileLoader.Load(RepoPaths.File("firmware-config", "boards", id + ".yaml"));

        Assert.Empty(errors);
        Assert.Equal(id, board!.Id);
        Assert.NotEmpty(board.Pins);
    }

    [Fact]
    public void ShippedBoards_AreThePi4_ThePi5_AndAnIndustrialPc_WithTheirOwnChips()
    {
        var pi4 = BoardFileLoader.Load(RepoPaths.File("firmware-config", "boards", "rpi4.yaml")).Board!;
        var pi5 = BoardFileLoader.Load(RepoPaths.File("firmware-config", "boards", "rpi5.yaml")).Board!;
        var ipc = BoardFileLoader.Load(RepoPaths.File("firmware-config", "boards", "generic-ipc.yaml")).Board!;

        Assert.Equal("pinctrl-bcm2711", pi4.Chip.Label);
        Assert.Equal("pinctrl-rp1", pi5.Chip.Label);
        Assert.True(pi5.Chip.Matches("gpiochip4"), "a Pi 5 on a kernel before 6.6.45 names the chip gpiochip4");
        Assert.False(ipc.PullSupported);
        foreach (var pi in new[] { pi4, pi5 })
        {
            // I2C1 on GPIO2/3, SPI0 on GPIO7-11, UART0 on GPIO14/15.
            Assert.Equal([0, 1, 2, 3, 7, 8, 9, 10, 11, 14, 15], pi.Reserved.Select(r => r.Line).Order());
            Assert.Equal([1], pi.I2cBuses);
            Assert.Equal(28, pi.Pins.Count);
        }
    }

    [Theory]
    [MemberData(nameof(ShippedBoards))]
    public void ShippedRetrofitLine_ValidatesOnEveryBoardWithEnoughPins(string id)
    {
        if (id == "generic-ipc")
        {
            // The IPC has 8 lines and no I2C bus: the Pi wiring cannot fit, and must say so instead of loading.
            var (_, ipc) = _fixture.LoadVariant("on-ipc", "board: rpi4", "board: generic-ipc");
            Assert.Contains(ipc.Errors, e => e.KeyPath == "machines[0].signals[0].source.gpio.pin");
            return;
        }

        var (_, result) = _fixture.LoadVariant("on-" + id, "board: rpi4", "board: " + id);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(id, result.Line!.Sources.Gpio!.ResolvedBoard!.Id);
    }

    [Fact]
    public void Board_WithUnknownChip_FailsNamingTheBoardFileAndKey()
    {
        var text = File.ReadAllText(RepoPaths.File("firmware-config", "boards", "rpi4.yaml")).Replace("name: gpiochip0", "name: pinctrl0", StringComparison.Ordinal);
        _fixture.WriteBoard("rpi4", text);

        var (path, result) = _fixture.LoadVariant("bad-board", "driver: auto", "driver: auto");

        var error = Assert.Single(result.Errors);
        Assert.Equal("sources.gpio.board", error.KeyPath);
        Assert.Contains("rpi4.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("chip.name: unknown chip 'pinctrl0'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _fixture.Dispose();
}
