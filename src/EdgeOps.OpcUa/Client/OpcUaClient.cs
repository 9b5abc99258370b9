using System.Security.Cryptography;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Transport;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

/// <summary>
/// An OPC UA client over UA-TCP: one secure channel (None, or Sign/SignAndEncrypt with Basic256Sha256,
/// Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss) and one session to one endpoint. The endpoint is chosen from
/// GetEndpoints on a discovery channel; the server certificate is validated against the <see cref="PkiStore"/> before
/// anything secret is sent.
/// Service calls are batched to the server's operation limits. After <see cref="ConnectAsync"/> the client keeps
/// itself connected: when the link drops it reconnects with backoff forever, reactivates the session, transfers or
/// recreates its subscriptions, and closes any session it abandons.
/// </summary>
public sealed partial class OpcUaClient : IAsyncDisposable
{
    /// <summary>The meter the client's instruments are on, when <see cref="OpcUaClientOptions.MeterFactory"/> is set.</summary>
    public const string MeterName = "EdgeOps.OpcUa";

    private static readonly StatusCode[] SessionGone =
        [StatusCode.BadSessionIdInvalid, StatusCode.BadSessionClosed, StatusCode.BadSessionNotActivated];

    private readonly OpcUaClientOptions _options;
    private readonly TimeProvider _time;
    private readonly PublishPump _publish;
    private readonly Uri _endpointUri;
    private readonly System.Diagnostics.Metrics.Histogram<double>? _requestDuration;
    private readonly CancellationTokenSource _disposing = new();
    private readonly SemaphoreSlim _sessionLock = new(1, 1);
    private readonly List<OpcUaSubscription> _subscriptions = [];
    private UaTcpChannel? _channel;
    private EndpointDescription? _endpoint;
    private NodeId _authenticationToken = NodeId.Null;
    private NodeId _sessionId = NodeId.Null;
    private byte[]? _serverNonce;
    private byte[]? _serverCertificate;
    private Task? _supervisor;
    private volatile ConnectionState _state;

    /// <summary>Creates a client; nothing happens until <see cref="ConnectAsync"/>.</summary>
    public OpcUaClient(OpcUaClientOptions options, TimeProvider? timeProvider = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        if (!Uri.TryCreate(options.EndpointUrl, UriKind.Absolute, out var uri) || uri.Scheme != "opc.tcp")
        {
            throw new ArgumentException($"Endpoint URL '{options.EndpointUrl}' is not an opc.tcp:// URL.", nameof(options));
        }

        _endpointUri = uri;
        _publish = new PublishPump(this);
        // The meter factory caches the meter and the meter its non-observable instruments: every client of a host records
        // into the one histogram, told apart by the endpoint tag.
        _requestDuration = options.MeterFactory?.Create(new System.Diagnostics.Metrics.MeterOptions(MeterName)).CreateHistogram("edgeops.opcua.request_duration", "s",
            "Round trip of an OPC UA service call (Read, Browse, CreateMonitoredItems, ...), request sent to response decoded",
            advice: new System.Diagnostics.Metrics.InstrumentAdvice<double>
            {
                // A PLC on the LAN answers in 1-20 ms; a busy one or a VPN in 100s of ms; the top is the request timeout.
                HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
            });
    }

    /// <summary>Raised when the link is lost, a reconnect attempt fails, or the session is back.</summary>
    public event EventHandler<ConnectionStateChange>? ConnectionStateChanged;

    /// <summary>The current link state.</summary>
    public ConnectionState State => _state;

    /// <summary>The server's namespace table (index → URI), read at every (re)connect.</summary>
    public IReadOnlyList<string> NamespaceArray { get; private set; } = ["http://opcfoundation.org/UA/"];

    /// <summary>The server's operation limits, read at every (re)connect; 0 means the server sets none.</summary>
    public OperationLimits Limits { get; private set; } = new();

    /// <summary>Successful recoveries since connecting.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Sessions this client created (1 + one per recovery that could not reuse the session).</summary>
    public int SessionsCreated { get; private set; }

    /// <summary>Secure channel token renewals on the current channel.</summary>
    public int TokenRenewals => _channel?.Renewals ?? 0;

    /// <summary>The endpoint URL.</summary>
    public string EndpointUrl => _options.EndpointUrl;

    /// <summary>
    /// Connects, creates and activates a session, reads the namespace table and operation limits, then keeps the
    /// link up in the background. Throws <see cref="OpcUaException"/> with a clear message when the first
    /// connection fails (unreachable, wrong password: BadUserAccessDenied).
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_supervisor is not null)
        {
            throw new InvalidOperationException("Already connected.");
        }

        await _sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EstablishAsync(reuseSession: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sessionLock.Release();
        }

        SetState(ConnectionState.Connected, null, "connected");
        _supervisor = Task.Run(() => SuperviseAsync(_disposing.Token), CancellationToken.None);
    }

    /// <summary>Opens a channel and activates a session: the old one when it still exists, otherwise a new one.</summary>
    /// <returns>True when the previous session was reactivated (its subscriptions are still on the server).</returns>
    private async Task<bool> EstablishAsync(bool reuseSession, CancellationToken cancellationToken)
    {
        var lifetime = (uint)Math.Clamp(_options.SecureChannelLifetime.TotalMilliseconds, 1000, uint.MaxValue);
        var channel = await UaTcpChannel.OpenAsync(_endpointUri, _options.DecodingLimits, _time, lifetime, _options.RequestTimeout, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var endpoints = await CallAsync<GetEndpointsResponse>(channel, NodeId.Null,
                new GetEndpointsRequest { EndpointUrl = _options.EndpointUrl }, "GetEndpoints", cancellationToken).ConfigureAwait(false);
            _endpoint = EndpointSelection.Select(_options, endpoints.Endpoints);
            if (_endpoint.SecurityMode != MessageSecurityMode.None)
            {
                // Discovery is done on the None channel; the session gets a channel of the chosen security, and
                // only after the server certificate passed validation.
                var policy = SecurityPolicy.Find(_endpoint.SecurityPolicyUri)!;
                var leaf = CertificateFiles.FirstCertificate(_endpoint.ServerCertificate ?? []).ToArray();
                ValidateServerCertificate(_endpoint, policy);
                var discovery = channel;
                channel = null!;
                await discovery.DisposeAsync().ConfigureAwait(false);
                channel = await UaTcpChannel.OpenAsync(_endpointUri, _options.DecodingLimits, _time, lifetime, _options.RequestTimeout, cancellationToken,
                    ChannelSecurity.Create(policy, (MessageSecurity)_endpoint.SecurityMode, _options.Certificate!.Certificate, leaf)).ConfigureAwait(false);
            }
            else if (!string.IsNullOrEmpty(_options.ServerCertificateThumbprint) && _endpoint.ServerCertificate is { Length: > 0 } noneCertificate)
            {
                ValidateServerCertificate(_endpoint, SecurityPolicy.Basic256Sha256);
            }

            _serverCertificate = _endpoint.ServerCertificate;

            var reactivated = false;
            if (reuseSession && !_authenticationToken.IsNull)
            {
                try
                {
                    await ActivateAsync(channel, _authenticationToken, cancellationToken).ConfigureAwait(false);
                    reactivated = true;
                }
                catch (OpcUaException ex) when (SessionGone.Any(s => ex.Status.Is(s)))
                {
                    // The server forgot the session (restart): nothing left to close.
                    _authenticationToken = NodeId.Null;
                }
                catch (OpcUaException)
                {
                    // It may still exist: close it rather than leave it for the server to time out.
                    await CloseSessionAsync(channel, _authenticationToken, deleteSubscriptions: true).ConfigureAwait(false);
                    _authenticationToken = NodeId.Null;
                }
            }

            if (!reactivated)
            {
                await CreateSessionAsync(channel, cancellationToken).ConfigureAwait(false);
            }

            var old = _channel;
            _channel = channel;
            if (old is not null)
            {
                await old.DisposeAsync().ConfigureAwait(false);
            }

            await ReadServerTablesAsync(cancellationToken).ConfigureAwait(false);
            return reactivated;
        }
        catch
        {
            if (channel is not null && _channel != channel)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private void ValidateServerCertificate(EndpointDescription endpoint, SecurityPolicy policy)
    {
        if (endpoint.ServerCertificate is not { Length: > 0 } certificate)
        {
            throw new OpcUaException(StatusCode.BadCertificateInvalid, $"{_options.EndpointUrl} offers {endpoint.SecurityPolicyUri} without a server certificate.");
        }

        var pki = _options.Pki ?? throw new OpcUaException(StatusCode.BadCertificateUntrusted,
            $"No certificate store is configured to decide whether the server certificate of {_options.EndpointUrl} is trusted.");
        new ServerCertificateValidator(pki, _time).Validate(certificate, _options.EndpointUrl, endpoint.Server.ApplicationUri, policy,
            _options.ServerCertificateThumbprint, _options.CheckServerHostName);
    }

    /// <summary>The security policy of the current channel (None when not connected).</summary>
    public SecurityPolicy SecurityPolicy => _channel?.Security.Policy ?? SecurityPolicy.None;

    /// <summary>The message security of the current channel.</summary>
    public MessageSecurity SecurityMode => _channel?.Security.Mode ?? MessageSecurity.None;

    /// <summary>Received chunks whose signature or encryption failed (each one closed its channel).</summary>
    public int SecurityFailures { get; private set; }

    /// <summary>The server certificate (DER) of the current endpoint, when it has one.</summary>
    public byte[]? ServerCertificate => _serverCertificate;

    private async Task CreateSessionAsync(UaTcpChannel channel, CancellationToken cancellationToken)
    {
        var security = channel.Security;
        var clientNonce = RandomNumberGenerator.GetBytes(32); // fresh every time, even with None
        var clientCertificate = security.Signs ? security.LocalCertificate!.RawData : null;
        var response = await CallAsync<CreateSessionResponse>(channel, NodeId.Null, new CreateSessionRequest
        {
            ClientDescription = new ApplicationDescription
            {
                // Must equal the URI in our certificate, or the server refuses the session (BadCertificateUriInvalid).
                ApplicationUri = _options.Certificate?.ApplicationUri ?? _options.ApplicationUri,
                ProductUri = "urn:edgeops",
                ApplicationName = new LocalizedText(null, _options.ApplicationName),
                ApplicationType = 1, // Client
            },
            EndpointUrl = _options.EndpointUrl,
            SessionName = _options.SessionName,
            ClientNonce = clientNonce,
            ClientCertificate = clientCertificate,
            RequestedSessionTimeout = _options.SessionTimeout.TotalMilliseconds,
            MaxResponseMessageSize = (uint)_options.DecodingLimits.MaxMessageSize,
        }, "CreateSession", cancellationToken).ConfigureAwait(false);
        _serverNonce = response.ServerNonce;
        try
        {
            CheckCreateSession(security, response, clientCertificate, clientNonce);
        }
        catch
        {
            await CloseSessionAsync(channel, response.AuthenticationToken, deleteSubscriptions: true).ConfigureAwait(false);
            throw;
        }

        SessionTimeout = TimeSpan.FromMilliseconds(response.RevisedSessionTimeout);
        try
        {
            await ActivateAsync(channel, response.AuthenticationToken, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await CloseSessionAsync(channel, response.AuthenticationToken, deleteSubscriptions: true).ConfigureAwait(false);
            throw;
        }

        _authenticationToken = response.AuthenticationToken;
        _sessionId = response.SessionId;
        SessionsCreated++;
    }

    /// <summary>
    /// Part 4 §5.6.2: the certificate in CreateSession must be the one GetEndpoints showed (else a man in the middle
    /// may have swapped one of them), and with security the server proves it holds its key by signing our
    /// certificate and nonce; its nonce must be long enough to protect our signature and password.
    /// </summary>
    private void CheckCreateSession(ChannelSecurity security, CreateSessionResponse response, byte[]? clientCertificate, byte[] clientNonce)
    {
        var announced = CertificateFiles.FirstCertificate(_endpoint!.ServerCertificate ?? []);
        var session = CertificateFiles.FirstCertificate(response.ServerCertificate ?? []);
        if ((security.Signs || announced.Length > 0) && !announced.SequenceEqual(session))
        {
            throw new OpcUaException(StatusCode.BadCertificateInvalid,
                $"{_options.EndpointUrl} sent a different certificate in CreateSession (thumbprint {(session.Length == 0 ? "none" : CertificateFiles.Thumbprint(session))}) "
                + $"than in GetEndpoints ({(announced.Length == 0 ? "none" : CertificateFiles.Thumbprint(announced))}); refusing the session.");
        }

        if (!security.Signs)
        {
            return;
        }

        if (response.ServerNonce is not { Length: >= 32 })
        {
            throw new OpcUaException(StatusCode.BadNonceInvalid,
                $"{_options.EndpointUrl} sent a {response.ServerNonce?.Length ?? 0}-byte session nonce; at least 32 bytes are required.");
        }

        if (response.ServerSignature.Signature is not { Length: > 0 } signature
            || !string.Equals(response.ServerSignature.Algorithm, security.Policy.AsymmetricSignatureAlgorithm, StringComparison.Ordinal)
            || !security.VerifySession(clientCertificate, clientNonce, signature))
        {
            throw new OpcUaException(StatusCode.BadApplicationSignatureInvalid,
                $"The CreateSession signature of {_options.EndpointUrl} does not verify with its certificate ({response.ServerSignature.Algorithm ?? "no algorithm"}).");
        }
    }

    /// <summary>The session timeout the server granted.</summary>
    public TimeSpan SessionTimeout { get; private set; }

    /// <summary>The server's id of the current session.</summary>
    public NodeId SessionId => _sessionId;

    private async Task ActivateAsync(UaTcpChannel channel, NodeId token, CancellationToken cancellationToken)
    {
        var (identity, tokenSignature) = UserIdentity.Build(_options, _endpoint!, _serverCertificate, _serverNonce);
        var security = channel.Security;
        var clientSignature = new SignatureData();
        if (security.Signs)
        {
            // Part 4 §5.6.3: proves to the server that we hold our certificate's key, bound to its latest nonce.
            var serverLeaf = CertificateFiles.FirstCertificate(_serverCertificate ?? []);
            clientSignature = new SignatureData
            {
                Algorithm = security.Policy.AsymmetricSignatureAlgorithm,
                Signature = security.SignSession(serverLeaf, _serverNonce ?? []),
            };
        }

        var response = await CallAsync<ActivateSessionResponse>(channel, token,
            new ActivateSessionRequest { ClientSignature = clientSignature, UserIdentityToken = identity, UserTokenSignature = tokenSignature },
            "ActivateSession", cancellationToken).ConfigureAwait(false);

        // The next activation (after a reconnect) encrypts the password with this nonce.
        _serverNonce = response.ServerNonce;
    }

    private async Task CloseSessionAsync(UaTcpChannel channel, NodeId token, bool deleteSubscriptions)
    {
        if (token.IsNull || !channel.IsOpen)
        {
            return;
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await CallAsync<CloseSessionResponse>(channel, token, new CloseSessionRequest { DeleteSubscriptions = deleteSubscriptions },
                "CloseSession", cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
        {
            // Best effort: the server times the session out anyway.
        }
    }

    private async Task ReadServerTablesAsync(CancellationToken cancellationToken)
    {
        var channel = _channel!;
        var results = await CallAsync<ReadResponse>(channel, _authenticationToken, new ReadRequest
        {
            NodesToRead =
            [
                new(WellKnownNodes.NamespaceArray), new(WellKnownNodes.MaxNodesPerRead), new(WellKnownNodes.MaxNodesPerBrowse),
                new(WellKnownNodes.MaxMonitoredItemsPerCall), new(WellKnownNodes.MaxNodesPerTranslate), new(WellKnownNodes.MaxNodesPerWrite),
                new(WellKnownNodes.MaxNodesPerMethodCall),
            ],
            TimestampsToReturn = TimestampsToReturn.Neither,
        }, "Read", cancellationToken).ConfigureAwait(false);
        if (results.Results.Length > 0 && results.Results[0].Value.Value is string?[] namespaces)
        {
            NamespaceArray = [.. namespaces.Select(n => n ?? string.Empty)];
        }

        uint Limit(int i) => i < results.Results.Length && results.Results[i].Value.Value is uint v ? v : 0;
        Limits = new OperationLimits(Limit(1), Limit(2), Limit(3), Limit(4), Limit(5), Limit(6));
    }

    /// <summary>The namespace index of <paramref name="namespaceUri"/> on this server, or −1.</summary>
    public int NamespaceIndex(string namespaceUri)
    {
        var table = NamespaceArray;
        for (var i = 0; i < table.Count; i++)
        {
            if (string.Equals(table[i], namespaceUri, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<T> CallAsync<T>(UaTcpChannel channel, NodeId token, UaRequest request, string service, CancellationToken cancellationToken)
        where T : UaResponse
    {
        request.Header = channel.NewHeader(token, _options.RequestTimeout);
        var sent = _time.GetTimestamp();
        var response = await channel.SendAsync(request, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        _requestDuration?.Record(_time.GetElapsedTime(sent).TotalSeconds,
            new KeyValuePair<string, object?>("endpoint", _options.EndpointUrl), new KeyValuePair<string, object?>("service", service));
        var status = response.Header.ServiceResult;
        if (response is ServiceFault || status.IsBad)
        {
            var hint = status.Is(StatusCode.BadUserAccessDenied) || status.Is(StatusCode.BadIdentityTokenRejected) || status.Is(StatusCode.BadIdentityTokenInvalid)
                ? $" (user '{_options.UserName ?? "anonymous"}' was refused: wrong user name or password?)"
                : string.Empty;
            throw new OpcUaException(status.IsBad ? status : StatusCode.BadUnknownResponse, $"{service} on {_options.EndpointUrl} failed: {status}{hint}");
        }

        return response as T ?? throw new OpcUaException(StatusCode.BadUnknownResponse, $"{service} got a {response.GetType().Name}.");
    }

    private Task<T> CallAsync<T>(UaRequest request, string service, CancellationToken cancellationToken)
        where T : UaResponse
    {
        var channel = _channel;
        if (channel is null || !channel.IsOpen || (_state != ConnectionState.Connected && !_recovering))
        {
            throw new OpcUaException(StatusCode.BadServerNotConnected, $"{service}: not connected to {_options.EndpointUrl}.");
        }

        return CallAsync<T>(channel, _authenticationToken, request, service, cancellationToken);
    }

    private void SetState(ConnectionState state, Exception? reason, string detail)
    {
        _state = state;
        ConnectionStateChanged?.Invoke(this, new ConnectionStateChange(state, reason, detail));
    }

    /// <summary>Drops the TCP connection without closing anything, as a cut cable would (for tests and diagnostics).</summary>
    public void SimulateConnectionLoss() => _channel?.Abort();

    /// <summary>Deletes the subscriptions, closes the session and the secure channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (_supervisor is not null)
        {
            try
            {
                await _supervisor.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected on shutdown.
            }
        }

        var channel = _channel;
        if (channel is not null)
        {
            await CloseSessionAsync(channel, _authenticationToken, deleteSubscriptions: true).ConfigureAwait(false);
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var subscription in _subscriptions)
        {
            subscription.Complete();
        }

        _state = ConnectionState.Disconnected;
        _disposing.Dispose();
        _sessionLock.Dispose();
    }
}

/// <summary>The server's OperationLimits; 0 means no limit was given.</summary>
/// <param name="MaxNodesPerRead">Read.</param>
/// <param name="MaxNodesPerBrowse">Browse and BrowseNext.</param>
/// <param name="MaxMonitoredItemsPerCall">CreateMonitoredItems and friends.</param>
/// <param name="MaxNodesPerTranslate">TranslateBrowsePathsToNodeIds.</param>
/// <param name="MaxNodesPerWrite">Write.</param>
/// <param name="MaxNodesPerMethodCall">Call.</param>
public sealed record OperationLimits(uint MaxNodesPerRead = 0, uint MaxNodesPerBrowse = 0, uint MaxMonitoredItemsPerCall = 0,
    uint MaxNodesPerTranslate = 0, uint MaxNodesPerWrite = 0, uint MaxNodesPerMethodCall = 0)
{
    /// <summary>The batch size for a limit: the limit itself, or <paramref name="fallback"/> when the server set none.</summary>
    public static int Batch(uint limit, int fallback) => limit == 0 ? fallback : (int)Math.Min(limit, int.MaxValue);
}
