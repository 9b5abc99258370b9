namespace EdgeOps.Core.Model;

/// <summary>
/// A board's GPIO and bus layout, from <c>firmware-config/boards/{id}.yaml</c>: which chip carries the pins,
/// which line offsets exist, which are taken by I2C/SPI/UART, and which buses sensors may use.
/// </summary>
public sealed record BoardDefinition
{
    /// <summary>Board id, the file name without extension (rpi4, rpi5, generic-ipc).</summary>
    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The GPIO chip the pins live on.</summary>
    public required GpioChipDefinition Chip { get; init; }

    /// <summary>Usable GPIO lines (offsets on <see cref="Chip"/>).</summary>
    public required IReadOnlyList<BoardPin> Pins { get; init; }

    /// <summary>Lines the board's buses use; a signal or lamp on one of them is rejected.</summary>
    public IReadOnlyList<ReservedPin> Reserved { get; init; } = [];

    /// <summary>False when the chip has no configurable bias (most industrial PC DIO cards: pull resistors are external).</summary>
    public bool PullSupported { get; init; } = true;

    /// <summary>I2C bus numbers (<c>/dev/i2c-N</c>) sensors may use.</summary>
    public IReadOnlyList<int> I2cBuses { get; init; } = [];

    /// <summary>SPI devices as "bus.chipSelect" (<c>/dev/spidevB.C</c>) sensors may use.</summary>
    public IReadOnlyList<string> SpiDevices { get; init; } = [];

    /// <summary>The file this board came from, for messages.</summary>
    public string? SourceFile { get; init; }
}

/// <summary>
/// A GPIO chip, found by its kernel label first (stable across kernels) and by its device name otherwise:
/// the Raspberry Pi 5's RP1 chip was <c>gpiochip4</c> before kernel 6.6.45 and is <c>gpiochip0</c> since.
/// </summary>
public sealed record GpioChipDefinition
{
    /// <summary>Device name under /dev (gpiochip0).</summary>
    public required string Name { get; init; }

    /// <summary>Kernel label (pinctrl-bcm2711, pinctrl-rp1); null matches by name only.</summary>
    public string? Label { get; init; }

    /// <summary>Other device names the same chip has had (gpiochip4 on a Pi 5 before kernel 6.6.45).</summary>
    public IReadOnlyList<string> AlternateNames { get; init; } = [];

    /// <summary>True when <paramref name="nameOrLabel"/> is this chip's name, label or a former name.</summary>
    public bool Matches(string nameOrLabel) =>
        string.Equals(nameOrLabel, Name, StringComparison.Ordinal)
        || string.Equals(nameOrLabel, Label, StringComparison.Ordinal)
        || AlternateNames.Contains(nameOrLabel, StringComparer.Ordinal);
}

/// <summary>One usable GPIO line.</summary>
/// <param name="Line">Line offset on the chip (BCM number on a Raspberry Pi).</param>
/// <param name="Header">Physical header pin, for the wiring diagram; null when not on a header.</param>
/// <param name="Name">Silk-screen or schematic name (GPIO17, DI0).</param>
public sealed record BoardPin(int Line, int? Header = null, string? Name = null);

/// <summary>A line taken by a bus function (i2c1-sda, spi0-sclk, uart0-txd).</summary>
public sealed record ReservedPin(int Line, string Function);
