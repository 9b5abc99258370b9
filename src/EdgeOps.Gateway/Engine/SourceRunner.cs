using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// Runs every configured source for the life of the service. A source that throws is logged and restarted with a
/// capped backoff: one broken input never takes the gateway down.
/// </summary>
public sealed partial class SourceRunner : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly IReadOnlyList<ISignalSource> _sources;
    private readonly SignalPipe _pipe;
    private readonly ILogger<SourceRunner> _logger;
    private readonly Metrics.SourceStatistics _statistics;

    public SourceRunner(IEnumerable<ISignalSource> sources, SignalPipe pipe, Metrics.SourceStatistics statistics, ILogger<SourceRunner> logger)
    {
        _sources = [.. sources];
        _pipe = pipe;
        _statistics = statistics;
        _logger = logger;
    }

    public IReadOnlyList<ISignalSource> Sources => _sources;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_sources.Select(source => RunAsync(source, stoppingToken)));

    private async Task RunAsync(ISignalSource source, CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var output = _statistics.Tap(source.Name, _pipe.Writer);
        SourceRunnerLog.Starting(_logger, source.Name);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await source.RunAsync(output, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A source failure is survivable: restart it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SourceRunnerLog.Failed(_logger, source.Name, backoff, ex);
            }

            try
            {
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = Backoff.Next(backoff, MaxBackoff);
        }
    }

    private static partial class SourceRunnerLog
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Source {Source} starting")]
        public static partial void Starting(ILogger logger, string source);

        [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "Source {Source} failed; restarting in {Backoff}")]
        public static partial void Failed(ILogger logger, string source, TimeSpan backoff, Exception exception);
    }
}
