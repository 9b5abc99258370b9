using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration.Validation;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// Every GPIO line the line file uses (signal inputs and stack-light lamps) exists on the board, is not reserved
/// for a bus, and is used once; bias is asked for only where the board has it; GPIO carries pulses and booleans only.
/// </summary>
internal sealed class GpioBoardValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var uses = new List<(int Pin, string Path, string What)>();
        foreach (var machine in line.Machines)
        {
            foreach (var signal in machine.Signals)
            {
                if (signal.Source is not GpioBinding gpio)
                {
                    continue;
                }

                var path = ConfigContext.Child(context.PathOf(signal), "source.gpio");
                uses.Add((gpio.Pin, ConfigContext.Child(path, "pin"), $"signal {machine.Id}/{signal.Name}"));
                CheckRole(machine, signal, gpio, path, context);
                if (gpio.Pull != GpioPull.None && line.Sources.Gpio?.ResolvedBoard is { PullSupported: false } board)
                {
                    context.Error(
                        ConfigContext.Child(path, "pull"),
                        $"board '{board.Id}' cannot bias its lines (pull resistors are on the I/O card); remove 'pull' or set it to none");
                }
            }
        }

        foreach (var light in line.Sources.Outputs?.StackLights ?? [])
        {
            var lightPath = context.PathOf(light);
            if (line.Machines.All(m => m.Id != light.Machine))
            {
                context.Error(ConfigContext.Child(lightPath, "machine"), MappingReader.UnknownName("machine", light.Machine, line.Machines.Select(m => m.Id)));
            }

            if (light.Device is not null)
            {
                continue; // Coils of a Modbus device: checked by ModbusDeviceValidator.
            }

            foreach (var (lamp, pin) in light.Lamps)
            {
                uses.Add((pin, ConfigContext.Child(ConfigContext.Child(lightPath, "lamps"), lamp), $"lamp {light.Id}/{lamp}"));
            }
        }

        if (uses.Count == 0)
        {
            return;
        }

        if (line.Sources.Gpio is null)
        {
            context.Error(uses[0].Path, "GPIO lines are used but the line has no 'sources: gpio: { board: ... }' section naming the board");
            return;
        }

        if (line.Sources.Gpio.ResolvedBoard is not { } resolved)
        {
            return; // The board file's own problem is already reported at sources.gpio.board.
        }

        CheckPins(uses, resolved, context);
    }

    private static void CheckPins(List<(int Pin, string Path, string What)> uses, BoardDefinition board, ConfigContext context)
    {
        var firstUse = new Dictionary<int, (string Path, string What)>();
        var file = Path.GetFileName(board.SourceFile ?? board.Id + ".yaml");
        foreach (var (pin, path, what) in uses)
        {
            if (board.Pins.All(p => p.Line != pin))
            {
                context.Error(path, $"line {pin} does not exist on board '{board.Id}' ({file} lists {Describe(board.Pins)})");
                continue;
            }

            if (board.Reserved.FirstOrDefault(r => r.Line == pin) is { } reserved)
            {
                context.Error(path, $"line {pin} is reserved on board '{board.Id}' for {reserved.Function} ({file})");
                continue;
            }

            if (firstUse.TryGetValue(pin, out var first))
            {
                context.Error(path, $"line {pin} is used twice: already by {first.What} at {first.Path}");
                continue;
            }

            firstUse[pin] = (path, what);
        }
    }

    private static void CheckRole(MachineDefinition machine, SignalDefinition signal, GpioBinding gpio, string path, ConfigContext context)
    {
        var signalPath = context.PathOf(signal);
        if (signal.Role is SignalRole.Analog || Parsing.ConfigNames.IsInteger(signal.Role))
        {
            context.Error(ConfigContext.Child(signalPath, "role"), $"a GPIO input is a pulse or a boolean; '{machine.Id}/{signal.Name}' has role {signal.Role} (use an ADC sensor or OPC UA)");
        }

        if (signal.CountMode == CountMode.Totalizer && EdgeOps.Sources.Gpio.GpioSource.IsCountRole(signal.Role))
        {
            context.Error(ConfigContext.Child(signalPath, "countMode"), "a GPIO input counts pulses; totalizer needs a PLC counter (OPC UA)");
        }

        if (!EdgeOps.Sources.Gpio.GpioSource.IsPulseRole(signal.Role) && gpio.MinWidth > TimeSpan.Zero)
        {
            context.Error(ConfigContext.Child(path, "minWidth"), "minWidth applies to pulse counters; for a level input use settle");
        }
    }

    private static string Describe(IReadOnlyList<BoardPin> pins)
    {
        var lines = pins.Select(p => p.Line).Order().ToList();
        return lines.Count == 0 ? "no lines" : lines.Count == lines[^1] - lines[0] + 1 ? $"lines {lines[0]}..{lines[^1]}" : $"lines {string.Join(", ", lines)}";
    }
}
