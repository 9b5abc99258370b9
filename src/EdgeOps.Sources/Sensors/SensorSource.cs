using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Sources.Sensors;

/// <summary>
/// Samples each configured sensor at its rate and writes every bound channel as an analog signal. A sensor that
/// throws (unplugged, bus error, wrong chip) has its signals marked bad once and is reopened with backoff
/// (<see cref="SensorDefinition.RetryDelay"/> doubling up to <see cref="SensorDefinition.MaxRetryDelay"/>);
/// the other sensors and the gateway carry on.
/// </summary>
public sealed class SensorSource : ISignalSource
{
    private readonly IReadOnlyList<SensorDefinition> _sensors;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<(string Channel, int Handle)>> _bindings;
    private readonly ISensorBuses _buses;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<string, SensorStatus> _status;

    public SensorSource(SignalCatalog catalog, ISensorBuses buses, TimeProvider clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _sensors = catalog.Line.Sources.Sensors;
        _bindings = catalog.All
            .Where(s => s.Definition.Source is SensorBinding)
            .GroupBy(s => ((SensorBinding)s.Definition.Source!).Device, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(string, int)>)[.. g.Select(s => (((SensorBinding)s.Definition.Source!).Channel, s.Handle))], StringComparer.Ordinal);
        _buses = buses;
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
        _status = _sensors.ToDictionary(s => s.Id, _ => new SensorStatus(), StringComparer.Ordinal);
    }

    public string Name => "sensors";

    /// <summary>True while every sensor answers.</summary>
    public bool IsConnected => _status.Values.All(s => s.Connected);

    /// <summary>Per device: whether it answers now, and how often it failed.</summary>
    public IReadOnlyDictionary<string, SensorStatus> Status => _status;

    public async Task RunAsync(ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            await Task.WhenAll(_sensors.Select(s => RunDeviceAsync(s, output, cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
    }

    private async Task RunDeviceAsync(SensorDefinition sensor, ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        var bound = _bindings.GetValueOrDefault(sensor.Id) ?? [];
        var status = _status[sensor.Id];
        var delay = sensor.RetryDelay;
        var period = TimeSpan.FromSeconds(1 / sensor.SampleRate);
        var markedBad = false;
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            ISensorDevice? device = null;
            try
            {
                device = SensorDevices.Open(sensor, _buses);
                var index = bound.Select(b => IndexOf(device.Channels, b.Channel, sensor.Id)).ToArray();
                var readings = new SensorReading[device.Channels.Count];
                using var timer = new PeriodicTimer(period, _clock);
                var first = true;
                do
                {
                    device.Read(readings);
                    var now = _clock.GetUtcNow();
                    if (first)
                    {
                        first = false;
                        if (status.Failures > 0)
                        {
                            SensorLog.Recovered(_logger, sensor.Id, status.Failures);
                        }
                        else
                        {
                            SensorLog.Opened(_logger, sensor.Id, sensor.Type.ToString(), sensor.Bus, sensor.SampleRate);
                        }

                        status.Connected = true;
                        markedBad = false;
                        delay = sensor.RetryDelay;
                    }

                    for (var i = 0; i < bound.Count; i++)
                    {
                        var r = readings[index[i]];
                        await output.WriteAsync(new Signal(bound[i].Handle, r.Value, now, r.Quality), cancellationToken).ConfigureAwait(false);
                    }

                    status.Samples++;
                }
                while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                status.Connected = false;
                status.Failures++;
                status.LastError = ex.Message;
                SensorLog.Failed(_logger, ex, sensor.Id, delay);
                if (!markedBad)
                {
                    // Once per outage: the engine needs to know the value is stale, not a stream of bad samples.
                    markedBad = true;
                    var now = _clock.GetUtcNow();
                    foreach (var (_, handle) in bound)
                    {
                        await output.WriteAsync(new Signal(handle, double.NaN, now, SignalQuality.Bad), cancellationToken).ConfigureAwait(false);
                    }
                }

                device?.Dispose();
                device = null;
                await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
                delay = Backoff.Next(delay, sensor.MaxRetryDelay);
            }
            finally
            {
                device?.Dispose();
            }
        }

        status.Connected = false;
    }

    private static int IndexOf(IReadOnlyList<string> channels, string channel, string device)
    {
        for (var i = 0; i < channels.Count; i++)
        {
            if (channels[i] == channel)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"sensor '{device}' has no channel '{channel}' (it has: {string.Join(", ", channels)})");
    }
}

/// <summary>Health of one sensor device.</summary>
public sealed class SensorStatus
{
    public bool Connected { get; internal set; }

    public int Failures { get; internal set; }

    public long Samples { get; internal set; }

    public string? LastError { get; internal set; }
}
