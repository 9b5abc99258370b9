using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using EdgeOps.Core.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Sources.Gpio;

/// <summary>
/// Opens the real GPIO controller for a board: finds the chip by label (stable across kernels) or by name, and
/// picks the driver the config asks for (libgpiod v2, then v1, then sysfs for <c>auto</c>). Every failure is a
/// <see cref="GpioUnavailableException"/> that names the chip, so the CLI prints one clear line.
/// </summary>
public static class GpioHardware
{
    /// <summary>Where character devices live; a test points it elsewhere.</summary>
    internal static string DeviceDirectory { get; set; } = "/dev";

    /// <summary>The chip the config selects: the line's override, else the board's.</summary>
    public static GpioChipDefinition ChipFor(GpioDefinition gpio, BoardDefinition board)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        ArgumentNullException.ThrowIfNull(board);
        // An override that names the board's chip keeps its label and former names; anything else is taken literally.
        return gpio.Chip is null || board.Chip.Matches(gpio.Chip) ? board.Chip : new GpioChipDefinition { Name = gpio.Chip, Label = gpio.Chip };
    }

    /// <summary>"gpiochip0 (pinctrl-bcm2711)", for messages.</summary>
    public static string Describe(GpioChipDefinition chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        return chip.Label is null || chip.Label == chip.Name ? chip.Name : $"{chip.Name} ({chip.Label})";
    }

    /// <summary>Opens a controller for the board's chip with the configured driver.</summary>
    /// <exception cref="GpioUnavailableException">No such chip, no usable driver, or no permission.</exception>
    public static GpioController Open(GpioDefinition gpio, BoardDefinition board, ILogger? logger = null)
    {
        var chip = ChipFor(gpio, board);
        logger ??= NullLogger.Instance;
        var described = $"GPIO chip {Describe(chip)} of board '{board.Id}'";
        if (!Directory.Exists(DeviceDirectory) || !Directory.EnumerateFiles(DeviceDirectory, "gpiochip*").Any())
        {
            throw new GpioUnavailableException(
                $"{described} not found: this machine has no {DeviceDirectory}/gpiochip* device. " +
                "Run on the board, or check that the kernel exposes the GPIO character device.");
        }

        var errors = new List<string>();
        if (gpio.Driver is GpioDriverKind.Auto or GpioDriverKind.Libgpiod)
        {
            if (TryOpen("libgpiod v2", () => Match(LibGpiodV2Driver.GetAvailableChips(), chip), c => new LibGpiodV2Driver(c), errors, logger) is { } v2)
            {
                return v2;
            }

            if (TryOpen("libgpiod v1", () => Match(LibGpiodDriver.GetAvailableChips(), chip), c => new LibGpiodDriver(c), errors, logger) is { } v1)
            {
                return v1;
            }
        }

        if (gpio.Driver is GpioDriverKind.Auto or GpioDriverKind.Sysfs)
        {
            if (TryOpen("sysfs", () => Match(SysFsDriver.GetAvailableChips(), chip), c => new SysFsDriver(c), errors, logger) is { } sysfs)
            {
                return sysfs;
            }
        }

        throw new GpioUnavailableException(
            $"{described} could not be opened with driver '{gpio.Driver.ToString().ToLowerInvariant()}': {string.Join("; ", errors)}. " +
            "Is libgpiod installed (apt install libgpiod2) and is the service user in the 'gpio' group (firmware-config/os/99-edgeops-gpio.rules)?");
    }

    private static GpioController? TryOpen(
        string driverName, Func<GpioChipInfo?> find, Func<GpioChipInfo, GpioDriver> create, List<string> errors, ILogger logger)
    {
        try
        {
            var info = find();
            if (info is null)
            {
                errors.Add($"{driverName}: no chip with that label or name");
                return null;
            }

            var controller = new GpioController(create(info));
            GpioLog.DriverSelected(logger, driverName, info.ToString());
            return controller;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // DllNotFoundException, TypeInitializationException, PlatformNotSupportedException, UnauthorizedAccessException...
            var reason = (ex.InnerException ?? ex).Message;
            errors.Add($"{driverName}: {reason}");
            GpioLog.DriverUnavailable(logger, driverName, reason);
            return null;
        }
    }

    private static GpioChipInfo? Match(IEnumerable<GpioChipInfo> chips, GpioChipDefinition wanted)
    {
        var list = chips.ToList();
        return list.FirstOrDefault(c => wanted.Label is not null && string.Equals(c.Label, wanted.Label, StringComparison.Ordinal))
            ?? list.FirstOrDefault(c => wanted.Matches(c.Name) || wanted.Matches($"gpiochip{c.Id}"));
    }
}
