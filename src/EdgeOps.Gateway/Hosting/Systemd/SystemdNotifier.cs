using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Gateway.Hosting.Systemd;

/// <summary>
/// Tells systemd how the service is doing: <c>READY=1</c> once the host has started (<c>Type=notify</c>),
/// <c>WATCHDOG=1</c> every half watchdog interval while the engine loop beats, <c>STOPPING=1</c> at shutdown.
/// A wedged engine loop stops the watchdog pings, so systemd kills and restarts the service
/// (<c>Restart=on-failure</c>). Does nothing when the process was not started with <c>NOTIFY_SOCKET</c>.
/// </summary>
internal sealed class SystemdNotifier : BackgroundService
{
    private readonly SystemdEnvironment _environment;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IEngineHeartbeat? _heartbeat;
    private readonly TimeProvider _time;
    private readonly ILogger<SystemdNotifier> _logger;
    private SdNotifyClient? _client;

    /// <param name="heartbeat">The engine loop's proof of life; null in a host without an engine (the watchdog is then fed unconditionally).</param>
    public SystemdNotifier(SystemdEnvironment environment, IHostApplicationLifetime lifetime, TimeProvider time,
        ILogger<SystemdNotifier> logger, IEngineHeartbeat? heartbeat = null)
    {
        _environment = environment;
        _lifetime = lifetime;
        _heartbeat = heartbeat;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_environment.NotifySocket is not { } socket)
        {
            return;
        }

        _client = new SdNotifyClient(socket);
        using var stopping = _lifetime.ApplicationStopping.Register(() => Send("STOPPING=1\nSTATUS=Stopping"));

        // READY=1 only once every hosted service has started: systemd then starts the units ordered after us.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        Send(string.Create(CultureInfo.InvariantCulture, $"READY=1\nSTATUS=Running\nMAINPID={Environment.ProcessId}"));
        SystemdLog.Ready(_logger, socket, _environment.WatchdogInterval?.TotalSeconds ?? 0);

        if (_environment.WatchdogInterval is not { } interval)
        {
            return;
        }

        var heartbeat = _heartbeat;
        if (heartbeat is null)
        {
            SystemdLog.NoHeartbeat(_logger);
        }

        var healthy = true;
        using var timer = new PeriodicTimer(interval / 2, _time);
        do
        {
            try
            {
                var silentFor = heartbeat?.SinceLastBeat ?? TimeSpan.Zero;
                if (silentFor <= interval)
                {
                    Send("WATCHDOG=1");
                    if (!healthy)
                    {
                        healthy = true;
                        Send("STATUS=Running");
                        SystemdLog.EngineRecovered(_logger);
                    }
                }
                else if (healthy)
                {
                    healthy = false;
                    Send(string.Create(CultureInfo.InvariantCulture,
                        $"STATUS=Engine loop silent for {silentFor.TotalSeconds:0} s: watchdog not fed"));
                    SystemdLog.EngineSilent(_logger, silentFor.TotalSeconds, interval.TotalSeconds);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SystemdLog.PassFailed(_logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    public override void Dispose()
    {
        base.Dispose();
        _client?.Dispose();
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Send(string state)
    {
        if (_client is not null && !_client.Send(state))
        {
            SystemdLog.SendFailed(_logger, _client.SocketPath, state.Split('\n')[0]);
        }
    }
}
