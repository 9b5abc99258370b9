using System.Diagnostics.Metrics;
using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.OpcUa;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.OpcUa;

/// <summary>
/// Machine signals from one OPC UA endpoint: one session, one subscription, one monitored item per bound signal
/// (client handle = signal handle). Source timestamps are carried into signals; Bad status and a lost link make the
/// signals Bad (stale → the machine is Offline, not Down). The client reconnects by itself; this source only
/// retries the very first connection.
/// </summary>
public sealed class OpcUaSignalSource : ISignalSource
{
    /// <summary>The sources area's meter: the OPC UA source's counters are on it.</summary>
    public const string MeterName = "EdgeOps.Sources";

    private readonly OpcUaEndpointDefinition _endpoint;
    private readonly SignalCatalog _catalog;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;
    private readonly OpcUaSecurityContext? _security;
    private readonly List<(SignalInfo Signal, MonitoredItemRequest Item)> _items = [];
    private readonly Channel<ConnectionStateChange> _stateChanges = Channel.CreateUnbounded<ConnectionStateChange>();
    /// <summary>By handle: the signal carries a code or a word (stateCode, statusWord, unitMode, stopReason).</summary>
    private readonly bool[] _codeRole;
    /// <summary>Order and product inputs: a String node gives its text (an order or product id), a number its code.</summary>
    private readonly bool[] _textRole;
    /// <summary>By handle: a wrong-typed value was logged and no well-typed one has arrived since (one line per spell).</summary>
    private readonly bool[] _wrongTypeLogged;
    private readonly IMeterFactory? _meters;
    private readonly Counter<long>? _valuesCounter;
    private readonly Counter<long>? _linkLossCounter;
    private OpcUaClient? _client;

    /// <summary>
    /// Binds every signal of <paramref name="catalog"/> whose OPC UA binding names <paramref name="endpoint"/>.
    /// <paramref name="meters"/> (the host's): values and link losses on <see cref="MeterName"/>, the client's round trips
    /// on <see cref="OpcUaClient.MeterName"/>; null measures nothing.
    /// </summary>
    public OpcUaSignalSource(OpcUaEndpointDefinition endpoint, SignalCatalog catalog, ILogger<OpcUaSignalSource> logger,
        TimeProvider? timeProvider = null, Func<string, string?>? environment = null, OpcUaSecurityContext? security = null,
        IMeterFactory? meters = null)
    {
        _security = security;
        _meters = meters;
        // Instruments are cached by the meter: every endpoint's source adds to the same two counters.
        var meter = meters?.Create(new MeterOptions(MeterName));
        _valuesCounter = meter?.CreateCounter<long>("edgeops.opcua.values", "{value}", "Values received from OPC UA servers");
        _linkLossCounter = meter?.CreateCounter<long>("edgeops.opcua.link_losses", "{event}", "OPC UA links lost");
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = timeProvider ?? TimeProvider.System;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _codeRole = [.. catalog.All.Select(s => s.Definition.Role is SignalRole.StateCode or SignalRole.StatusWord or SignalRole.UnitMode or SignalRole.StopReason or SignalRole.Order or SignalRole.Product)];
        _textRole = [.. catalog.All.Select(s => s.Definition.Role is SignalRole.Order or SignalRole.Product)];
        _wrongTypeLogged = new bool[catalog.Count];
        foreach (var signal in catalog.All)
        {
            if (signal.Definition.Source is OpcUaBinding binding && string.Equals(binding.Endpoint, endpoint.Name, StringComparison.Ordinal))
            {
                var (item, error) = OpcUaSignalBinding.ToItem(signal, binding, endpoint);
                if (item is null)
                {
                    OpcUaSourceLog.BadBinding(_logger, endpoint.Name, signal.Key, error!);
                    BindingErrors.Add($"{signal.Key}: {error}");
                    continue;
                }

                _items.Add((signal, item));
            }
        }
    }

    /// <inheritdoc />
    public string Name => "opcua:" + _endpoint.Name;

    /// <inheritdoc />
    public bool IsConnected => _client?.State == ConnectionState.Connected;

    /// <summary>Signals bound to this endpoint.</summary>
    public int SignalCount => _items.Count;

    /// <summary>Bindings that could not be used, each naming the signal and the problem.</summary>
    public IList<string> BindingErrors { get; } = [];

    /// <inheritdoc />
    public async Task RunAsync(ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var delay = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = new OpcUaClient(new OpcUaClientOptions
            {
                EndpointUrl = _endpoint.Url,
                UserName = _endpoint.UsernameEnv is null ? null : _environment(_endpoint.UsernameEnv),
                Password = _endpoint.PasswordEnv is null ? null : _environment(_endpoint.PasswordEnv),
                SessionName = "EdgeOps " + _catalog.Line.Line,
                SecurityMode = _endpoint.SecurityMode is { } mode ? Enum.Parse<MessageSecurity>(mode) : null,
                SecurityPolicy = _endpoint.SecurityPolicy,
                ServerCertificateThumbprint = _endpoint.ServerThumbprint,
                CheckServerHostName = _endpoint.CheckServerHostName,
                AllowPlaintextPassword = _endpoint.AllowPlaintextPassword,
                AllowBasic128Rsa15 = _endpoint.AllowBasic128Rsa15,
                Certificate = _security?.Certificate,
                Pki = _security?.Pki,
                MeterFactory = _meters,
            }, _time);
            try
            {
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
                _client = client;
                await RunConnectedAsync(client, output, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OpcUaException ex)
            {
                OpcUaSourceLog.ConnectFailed(_logger, _endpoint.Name, _endpoint.Url, delay.TotalSeconds, ex);
                await MarkAllAsync(output, SignalQuality.Bad, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _client = null;
                await client.DisposeAsync().ConfigureAwait(false);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = Backoff.Next(delay, TimeSpan.FromSeconds(30));
        }
    }

    private async Task RunConnectedAsync(OpcUaClient client, ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        client.ConnectionStateChanged += (_, change) => _stateChanges.Writer.TryWrite(change);
        client.StatusChanged += (_, change) => OpcUaSourceLog.SubscriptionEnded(_logger, _endpoint.Name, change.Status.ToString());

        // Values arrive as one batch per notification, straight from the decoder's pooled buffer: no object per value.
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions
        {
            PublishingInterval = _endpoint.PublishingInterval,
            ValueHandler = (values, ct) => ForwardAsync(values, output, ct),
        }, cancellationToken).ConfigureAwait(false);
        var results = await subscription.AddItemsAsync([.. _items.Select(i => i.Item)], cancellationToken).ConfigureAwait(false);
        foreach (var result in results.Where(r => r.Status.IsBad))
        {
            var signal = _catalog[(int)result.ClientHandle];
            var item = _items.First(i => i.Signal.Handle == signal.Handle).Item;
            OpcUaSourceLog.ItemFailed(_logger, _endpoint.Name, signal.Key, item.Describe(), result.Status.ToString());
            await output.WriteAsync(new Signal(signal.Handle, 0, _time.GetUtcNow(), SignalQuality.Bad), cancellationToken).ConfigureAwait(false);
        }

        OpcUaSourceLog.Connected(_logger, _endpoint.Name, _endpoint.Url, _items.Count);
        var states = ForwardStateChangesAsync(output, cancellationToken);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _stateChanges.Writer.TryComplete();
            try
            {
                await states.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Shutting down.
            }
        }
    }

    /// <summary>One notification's values to signals: synchronous while the engine's pipe has room.</summary>
    private ValueTask ForwardAsync(ReadOnlyMemory<MonitoredItemValue> values, ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        var span = values.Span;
        var forwarded = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (!TryConvert(span[i], out var signal))
            {
                continue;
            }

            if (!output.TryWrite(signal))
            {
                _valuesCounter?.Add(forwarded);
                return ForwardSlowAsync(values, i, signal, output, cancellationToken);
            }

            forwarded++;
        }

        _valuesCounter?.Add(forwarded);
        return ValueTask.CompletedTask;
    }

    private async ValueTask ForwardSlowAsync(ReadOnlyMemory<MonitoredItemValue> values, int index, Signal pending, ChannelWriter<Signal> output,
        CancellationToken cancellationToken)
    {
        // The pipe is full: wait for the engine (back-pressure; nothing is dropped).
        await output.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        var forwarded = 1;
        for (var i = index + 1; i < values.Length; i++)
        {
            if (TryConvert(values.Span[i], out var signal))
            {
                await output.WriteAsync(signal, cancellationToken).ConfigureAwait(false);
                forwarded++;
            }
        }

        _valuesCounter?.Add(forwarded);
    }

    private bool TryConvert(in MonitoredItemValue value, out Signal signal)
    {
        var handle = (int)value.ClientHandle;
        signal = default;
        if (handle < 0 || handle >= _catalog.Count)
        {
            return false;
        }

        var sourceTs = value.SourceTimestamp is { } s && s != DateTime.MinValue ? s : (DateTime?)null;
        var timestamp = sourceTs is { } ts ? new DateTimeOffset(DateTime.SpecifyKind(ts, DateTimeKind.Utc)) : _time.GetUtcNow();
        var quality = OpcUaSignalBinding.Quality(value.Status);
        double number = 0;
        if (quality != SignalQuality.Bad && _textRole[handle] && value.Value.Type == BuiltInType.String)
        {
            // An order id (or product id) from a string node; a null string is "no order".
            signal = new Signal(handle, 0, timestamp, quality, sourceTs is not null, value.Value.Value as string ?? string.Empty);
            return true;
        }

        if (quality != SignalQuality.Bad && _codeRole[handle])
        {
            // A code read from a Boolean or a string node is no code: the engine gets NaN, so the machine's state
            // follows the documented rule for invalid codes instead of a true read as state 1.
            if (value.Value.Type == BuiltInType.Boolean || !value.Value.TryGetDouble(out number))
            {
                if (!_wrongTypeLogged[handle])
                {
                    _wrongTypeLogged[handle] = true;
                    OpcUaSourceLog.WrongCodeType(_logger, _endpoint.Name, _catalog[handle].Key, value.Value.Type.ToString(), value.Value.ToString());
                }

                number = double.NaN;
            }
            else
            {
                _wrongTypeLogged[handle] = false;
            }
        }
        else if (quality != SignalQuality.Bad && !value.Value.TryGetDouble(out number))
        {
            OpcUaSourceLog.NotNumeric(_logger, _endpoint.Name, _catalog[handle].Key, value.Value.ToString());
            return false;
        }

        signal = new Signal(handle, number, timestamp, quality, sourceTs is not null);
        return true;
    }

    private async Task ForwardStateChangesAsync(ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        var lost = false;
        await foreach (var change in _stateChanges.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (change.State == ConnectionState.Reconnecting)
            {
                if (!lost)
                {
                    lost = true;
                    _linkLossCounter?.Add(1);
                    OpcUaSourceLog.LinkLost(_logger, _endpoint.Name, change.Detail, change.Reason);

                    // No fresh data while the link is down: stale, so the machine is Offline rather than Down.
                    await MarkAllAsync(output, SignalQuality.Bad, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    OpcUaSourceLog.ReconnectFailed(_logger, _endpoint.Name, change.Reason);
                }
            }
            else if (change.State == ConnectionState.Connected && lost)
            {
                lost = false;
                OpcUaSourceLog.LinkBack(_logger, _endpoint.Name, change.Detail);
            }
        }
    }

    private async Task MarkAllAsync(ChannelWriter<Signal> output, SignalQuality quality, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var (signal, _) in _items)
        {
            await output.WriteAsync(new Signal(signal.Handle, 0, now, quality), cancellationToken).ConfigureAwait(false);
        }
    }
}
