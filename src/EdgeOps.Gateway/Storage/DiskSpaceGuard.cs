using System.Diagnostics.Metrics;
using System.Globalization;
using EdgeOps.Contract;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Gateway.Web;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Storage;

/// <summary>
/// Watches free space on the data directory's file system, where the outbox and the checkpoints live. Below
/// <see cref="StorageOptions.MinFreeBytes"/> it raises the gateway alarm <c>disk-space-low</c> (logged, retained on
/// <c>_gateways/{id}/alarms</c>), sets <c>edgeops.storage.low</c> and makes /readyz unready, while SQLite can still
/// write: the floor is there so someone acts before a write fails. It clears with a margin (hysteresis) once space
/// returns.
/// </summary>
public sealed class DiskSpaceGuard : BackgroundService, IReadinessCheck
{
    /// <summary>The alarm's name on the gateway's alarms topic and in the log.</summary>
    public const string AlarmName = "disk-space-low";

    private readonly string _directory;
    private readonly StorageOptions _options;
    private readonly MqttPublisher? _publisher;
    private readonly MqttOptions? _mqtt;
    private readonly TimeProvider _time;
    private readonly ILogger<DiskSpaceGuard> _logger;
    private readonly Meter _meter;
    private long _free = -1;
    private DateTimeOffset? _lowSince;
    private bool _alarmUnpublished;

    /// <summary>Watches <see cref="GatewayOptions.DataDirectory"/>; publishes the alarm when MQTT is on (<paramref name="publisher"/>).</summary>
    public DiskSpaceGuard(IOptions<GatewayOptions> options, IMeterFactory meters, TimeProvider time, ILogger<DiskSpaceGuard> logger,
        MqttPublisher? publisher = null, MqttOptions? mqtt = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _directory = Path.GetFullPath(options.Value.DataDirectory);
        _options = options.Value.Storage;
        _publisher = publisher;
        _mqtt = mqtt;
        _time = time;
        _logger = logger;
        _meter = meters.Create(Metrics.GatewayMeter.Name);
        var tag = new KeyValuePair<string, object?>("path", _directory);
        _meter.CreateObservableGauge("edgeops.storage.free", () => new Measurement<long>(Volatile.Read(ref _free), tag), "By",
            "Free bytes on the data directory's file system (-1 before the first reading or when it cannot be read)");
        _meter.CreateObservableGauge("edgeops.storage.low", () => new Measurement<int>(IsLow ? 1 : 0, tag), null,
            "1 while the disk-space-low alarm is raised (free space below EdgeOps:Storage:MinFreeBytes)");
    }

    /// <summary>True while the alarm is raised.</summary>
    public bool IsLow => Volatile.Read(ref _free) >= 0 && _lowSince is not null;

    /// <inheritdoc />
    public string Name => "storage";

    /// <inheritdoc />
    public ReadinessResult Check()
    {
        var free = Volatile.Read(ref _free);
        return IsLow
            ? new ReadinessResult(false, string.Create(CultureInfo.InvariantCulture,
                $"{AlarmName}: {Mib(free)} free on {_directory}, below EdgeOps:Storage:MinFreeBytes = {Mib(_options.MinFreeBytes)}"))
            : new ReadinessResult(true, free < 0 ? "not measured yet" : string.Create(CultureInfo.InvariantCulture, $"{Mib(free)} free"));
    }

    /// <summary>Takes one reading and raises or clears the alarm (the loop calls it every <see cref="StorageOptions.CheckInterval"/>).</summary>
    public void Measure()
    {
        long free;
        try
        {
            free = new DriveInfo(_directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            StorageLog.NotMeasured(_logger, _directory, ex.Message);
            return;
        }

        Volatile.Write(ref _free, free);
        var floor = _options.MinFreeBytes;
        // Clear only with a margin above the floor, so a disk hovering at the floor does not flap the alarm.
        var clearAt = floor + Math.Max(floor / 10, 1024 * 1024);
        if (_lowSince is null && floor > 0 && free < floor)
        {
            _lowSince = _time.GetUtcNow();
            _alarmUnpublished = true;
            StorageLog.Raised(_logger, _directory, free, floor);
        }
        else if (_lowSince is not null && free >= clearAt)
        {
            _lowSince = null;
            _alarmUnpublished = true;
            StorageLog.Cleared(_logger, _directory, free);
        }

        if (_alarmUnpublished)
        {
            _alarmUnpublished = !TryPublish(free, floor);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Measure();
            try
            {
                await Task.Delay(_options.CheckInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }

    /// <summary>The retained gateway alarms (the current set: this alarm or none), through the outbox like every message.</summary>
    private bool TryPublish(long free, long floor)
    {
        if (_publisher is null || _mqtt is null)
        {
            return true;
        }

        IReadOnlyList<ActiveAlarmEntry> active = _lowSince is { } since
            ? [new ActiveAlarmEntry("storage", AlarmName, "critical", "freeBytes", free, floor, since)]
            : [];
        var payload = new AlarmsPayload { Ts = _time.GetUtcNow(), Machine = _mqtt.GatewayId, Active = active };
        try
        {
            _publisher.Outbox.Enqueue(OutgoingMessage.Json(MqttTopics.GatewayAlarms(_mqtt.Site, _mqtt.GatewayId), MessageKind.Snapshot,
                payload, PayloadJsonContext.Default.AlarmsPayload));
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            // Already too full to write even this: retried on the next reading.
            StorageLog.AlarmNotQueued(_logger, ex.Message);
            return false;
        }
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB");
}

/// <summary>Storage guard log messages, EventIds 9100-9109.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 9100, Level = LogLevel.Error, Message = "Alarm disk-space-low raised: {Free} bytes free on {Directory}, below EdgeOps:Storage:MinFreeBytes = {Floor}; free space before the outbox and checkpoints cannot write")]
    public static partial void Raised(ILogger logger, string directory, long free, long floor);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Alarm disk-space-low cleared: {Free} bytes free on {Directory}")]
    public static partial void Cleared(ILogger logger, string directory, long free);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Free space on {Directory} cannot be read: {Reason}")]
    public static partial void NotMeasured(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "The gateway alarms message could not be queued ({Reason}); retried on the next reading")]
    public static partial void AlarmNotQueued(ILogger logger, string reason);
}
