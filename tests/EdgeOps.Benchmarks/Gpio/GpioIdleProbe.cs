using System.Device.Gpio;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Gpio;
using EdgeOps.TestSupport.Gpio;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Benchmarks.Gpio;

/// <summary>
/// CPU per pin at idle: <c>dotnet run -c Release -- gpio-idle [pins] [seconds]</c>. Opens the inputs on the virtual
/// driver with the real clock's heartbeat (5 s) and timers, lets them sit with no edges, and reports the process's
/// CPU time over the wall time, per pin. A ratio, not a timing, so BenchmarkDotNet's harness does not fit it.
/// </summary>
public static class GpioIdleProbe
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var pins = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 16;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var catalog = new SignalCatalog(GpioLines.Line(pins, TimeSpan.FromMilliseconds(5)));
        var driver = new VirtualGpioDriver(new FakeTimeProvider());
        var channel = Channel.CreateUnbounded<Signal>();
        using var source = new GpioSource(GpioSource.FromCatalog(catalog), () => new GpioController(driver), "virtual", TimeProvider.System);
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => source.RunAsync(channel.Writer, cts.Token));
        var drain = Task.Run(async () =>
        {
            await foreach (var _ in channel.Reader.ReadAllAsync(cts.Token))
            {
            }
        });
        while (!source.IsConnected)
        {
            Thread.Sleep(1);
        }

        // Settle first (JIT, start-up allocations); what follows is charged to the pins, the runtime's own idle cost
        // included, so the figure is an upper bound.
        var process = Process.GetCurrentProcess();
        Thread.Sleep(2000);
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var share = cpu.TotalSeconds / wall.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{pins} idle GPIO inputs for {wall.Elapsed.TotalSeconds:0.0} s: process CPU {cpu.TotalMilliseconds:0} ms = {share * 100:0.000} % of one core, {share * 100 / pins:0.0000} % per pin"));
        cts.Cancel();
        try
        {
            Task.WaitAll(run, drain);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
        }

        return 0;
    }
}
