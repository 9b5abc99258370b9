namespace EdgeOps.Core.Model;

/// <summary>Which Linux GPIO interface the gateway uses.</summary>
public enum GpioDriverKind
{
    /// <summary>libgpiod when the library and a character device are present, otherwise sysfs.</summary>
    Auto,
    /// <summary>The GPIO character device through libgpiod (v1 or v2).</summary>
    Libgpiod,
    /// <summary>The deprecated <c>/sys/class/gpio</c> interface (old kernels only).</summary>
    Sysfs,
}

/// <summary>Line-level GPIO settings: <c>sources: gpio: { board: rpi4, driver: auto }</c>.</summary>
public sealed record GpioDefinition
{
    /// <summary>Board id: a file under <c>firmware-config/boards/</c> (rpi4, rpi5, generic-ipc).</summary>
    public required string Board { get; init; }

    public GpioDriverKind Driver { get; init; } = GpioDriverKind.Auto;

    /// <summary>Overrides the board's chip (a <c>/dev/gpiochipN</c> name or a chip label).</summary>
    public string? Chip { get; init; }

    /// <summary>The board file <see cref="Board"/> names, once loaded; null when it could not be read.</summary>
    public BoardDefinition? ResolvedBoard { get; init; }
}
