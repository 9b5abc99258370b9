using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Transport;

/// <summary>
/// One UA-TCP connection with one secure channel: HEL/ACK, OpenSecureChannel (asymmetrically signed and encrypted
/// unless the mode is None), request/response correlation by request id, chunking both ways within the negotiated
/// limits, every chunk signed (and encrypted) with the current token's keys and every received chunk verified before
/// it is parsed, token renewal at 75 % of the lifetime with fresh nonces and keys (the previous token's keys still
/// open what was in flight), CloseSecureChannel. When the connection dies every pending request fails and <see cref="Completion"/>
/// completes; the session layer owns reconnecting.
/// </summary>
internal sealed class UaTcpChannel : IAsyncDisposable
{
    public const string SecurityPolicyNone = "http://opcfoundation.org/UA/SecurityPolicy#None";
    private const int HeaderSize = 8;
    private const int SymmetricOverhead = HeaderSize + 4 + 4 + 8; // channel id, token id, sequence header
    private const int SymmetricHeaderEnd = HeaderSize + 4 + 4;
    private const int OurBufferSize = 65536;

    /// <summary>How many request ids may have a half-assembled response at once (more means a broken or hostile peer).</summary>
    internal const int MaxOpenAssemblies = 64;

    private readonly Uri _endpoint;
    private readonly DecodingLimits _limits;
    private readonly TimeProvider _time;
    private readonly ChannelSecurity _security;
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, Pending> _pending = new();
    private readonly Dictionary<uint, ChunkAssembly> _assemblies = [];
    private readonly Stack<ChunkAssembly> _freeAssemblies = new();
    private readonly UaBinaryWriter _bodyWriter = new(8192);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NetworkStream? _stream;
    private TransportLimits? _transport;
    private uint _channelId;
    private volatile ChannelToken _token = new(0, null, null);
    private volatile ChannelToken? _previousToken;
    private byte[]? _pendingClientNonce;
    private byte[] _chunkBuffer = [];
    private uint _sequenceNumber;
    private uint _lastReceivedSequence;
    private int _requestId;
    private int _requestHandle;
    private Task? _receiveLoop;
    private ITimer? _renewTimer;
    private uint _lifetime;

    private UaTcpChannel(Uri endpoint, DecodingLimits limits, TimeProvider time, ChannelSecurity security)
    {
        _endpoint = endpoint;
        _limits = limits;
        _time = time;
        _security = security;
    }

    /// <summary>The channel's security policy and mode.</summary>
    public ChannelSecurity Security => _security;

    /// <summary>Chunks that failed signature or decryption checks (the channel closes on the first).</summary>
    public int SecurityFailures { get; private set; }

    /// <summary>Completes with the reason (null on a clean close) when the connection is gone.</summary>
    public Task<Exception?> Completion => _completion.Task;

    public bool IsOpen => !_completion.Task.IsCompleted;

    /// <summary>Token renewals done on this channel (for tests and metrics).</summary>
    public int Renewals { get; private set; }

    public TransportLimits Limits => _transport ?? throw new InvalidOperationException("Channel not open.");

    public uint ChannelId => _channelId;

    public DecodingLimits DecodingLimits => _limits;

    /// <summary>Connects, exchanges HEL/ACK and opens the secure channel.</summary>
    public static async Task<UaTcpChannel> OpenAsync(Uri endpoint, DecodingLimits limits, TimeProvider time, uint requestedLifetimeMs,
        TimeSpan timeout, CancellationToken cancellationToken, ChannelSecurity? security = null)
    {
        var channel = new UaTcpChannel(endpoint, limits, time, security ?? ChannelSecurity.None());
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            await channel.ConnectAsync(requestedLifetimeMs, cts.Token).ConfigureAwait(false);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ConnectAsync(uint requestedLifetimeMs, CancellationToken cancellationToken)
    {
        if (!string.Equals(_endpoint.Scheme, "opc.tcp", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpcUaException(StatusCode.BadTcpEndpointUrlInvalid, $"Endpoint '{_endpoint}' is not an opc.tcp:// URL.");
        }

        try
        {
            await _tcp.ConnectAsync(_endpoint.Host, _endpoint.Port < 0 ? 4840 : _endpoint.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new OpcUaException(StatusCode.BadNotConnected, $"Cannot connect to {_endpoint}: {ex.Message}", ex);
        }

        _stream = _tcp.GetStream();
        await HelloAsync(cancellationToken).ConfigureAwait(false);
        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        var response = await OpenSecureChannelAsync(SecurityTokenRequestType.Issue, requestedLifetimeMs, TimeSpan.FromSeconds(15), cancellationToken)
            .ConfigureAwait(false);
        ApplyToken(response);
    }

    private async Task<OpenSecureChannelResponse> OpenSecureChannelAsync(SecurityTokenRequestType type, uint lifetime, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        // A fresh nonce for every Issue and Renew: the keys of each token come from both sides' nonces.
        var clientNonce = _security.Signs ? RandomNumberGenerator.GetBytes(SecurityPolicy.NonceLength) : null;
        _pendingClientNonce = clientNonce;
        var response = await SendAsync(
            new OpenSecureChannelRequest
            {
                RequestType = type,
                SecurityMode = (MessageSecurityMode)_security.Mode,
                ClientNonce = clientNonce,
                RequestedLifetime = lifetime,
            },
            timeout, cancellationToken).ConfigureAwait(false);
        if (response is not OpenSecureChannelResponse open || open.Header.ServiceResult.IsBad)
        {
            throw new OpcUaException(response.Header.ServiceResult.IsBad ? response.Header.ServiceResult : StatusCode.BadUnknownResponse,
                $"OpenSecureChannel ({_security.Policy.Name}, {_security.Mode}) on {_endpoint} failed: {response.Header.ServiceResult}");
        }

        return open;
    }

    private void ApplyToken(OpenSecureChannelResponse response)
    {
        SymmetricKeys? send = null;
        SymmetricKeys? receive = null;
        if (_security.Signs)
        {
            var serverNonce = response.ServerNonce ?? [];
            var clientNonce = _pendingClientNonce ?? [];
            if (serverNonce.Length < SecurityPolicy.NonceLength)
            {
                throw new OpcUaException(StatusCode.BadNonceInvalid,
                    $"{_endpoint} answered OpenSecureChannel with a {serverNonce.Length}-byte nonce; {_security.Policy.Name} needs {SecurityPolicy.NonceLength}.");
            }

            // Part 6 §6.7.5: the client's sending keys come from P_SHA256(serverNonce, clientNonce), the server's the other way round.
            send = SymmetricKeys.Derive(_security.Policy, serverNonce, clientNonce);
            receive = SymmetricKeys.Derive(_security.Policy, clientNonce, serverNonce);
        }

        _channelId = response.SecurityToken.ChannelId;

        // The token before the previous one can no longer be in flight: its keys go.
        var retired = _previousToken;
        _previousToken = _token;
        _token = new ChannelToken(response.SecurityToken.TokenId, send, receive);
        retired?.Dispose();
        _lifetime = Math.Max(response.SecurityToken.RevisedLifetime, 1000);
        _renewTimer?.Dispose();

        // Renew at 75 % of the lifetime (Part 4 §5.5.2); the old token stays valid until 125 %.
        _renewTimer = _time.CreateTimer(_ => _ = RenewAsync(), null, TimeSpan.FromMilliseconds(_lifetime * 0.75), Timeout.InfiniteTimeSpan);
    }

    private async Task RenewAsync()
    {
        try
        {
            var response = await OpenSecureChannelAsync(SecurityTokenRequestType.Renew, _lifetime,
                TimeSpan.FromMilliseconds(Math.Max(_lifetime * 0.2, 2000)), _closing.Token).ConfigureAwait(false);
            ApplyToken(response);
            Renewals++;
        }
        catch (Exception ex) when (ex is OpcUaException or OperationCanceledException or IOException or ObjectDisposedException or UaDecodingException)
        {
            Fail(new OpcUaException(StatusCode.BadSecureChannelClosed, $"Secure channel token renewal failed: {ex.Message}", ex));
        }
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        var w = new UaBinaryWriter(256);
        w.WriteBytes("HELF"u8);
        w.WriteUInt32(0);
        w.WriteUInt32(0); // protocol version
        w.WriteUInt32(OurBufferSize); // receive buffer
        w.WriteUInt32(OurBufferSize); // send buffer
        w.WriteUInt32((uint)_limits.MaxMessageSize);
        w.WriteUInt32((uint)MaxChunks(_limits));
        w.WriteString(_endpoint.ToString());
        w.PatchUInt32(4, (uint)w.Position);
        await _stream!.WriteAsync(w.WrittenMemory, cancellationToken).ConfigureAwait(false);

        var header = new byte[HeaderSize];
        await _stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        if (size < HeaderSize || size > 4096)
        {
            throw new OpcUaException(StatusCode.BadTcpMessageTooLarge, $"Answer to Hello has size {size}.");
        }

        var body = new byte[size - HeaderSize];
        await _stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        var type = System.Text.Encoding.ASCII.GetString(header, 0, 3);
        if (type == "ERR")
        {
            throw ParseError(body);
        }

        if (type != "ACK")
        {
            throw new OpcUaException(StatusCode.BadTcpMessageTypeInvalid, $"Expected ACK, got '{type}'.");
        }

        var r = new UaBinaryReader(body, _limits);
        r.ReadUInt32();
        var serverReceive = r.ReadUInt32();
        var serverSend = r.ReadUInt32();
        var serverMaxMessage = r.ReadUInt32();
        var serverMaxChunks = r.ReadUInt32();
        if (serverReceive < 8192 || serverSend < 8192)
        {
            throw new OpcUaException(StatusCode.BadTcpInternalError, $"Server buffer sizes {serverReceive}/{serverSend} are below the minimum 8192.");
        }

        _transport = new TransportLimits(
            SendChunkSize: (int)Math.Min(serverReceive, OurBufferSize),
            ReceiveChunkSize: (int)Math.Min(serverSend, OurBufferSize),
            MaxSendMessageSize: serverMaxMessage == 0 ? int.MaxValue : (int)Math.Min(serverMaxMessage, int.MaxValue),
            MaxReceiveMessageSize: _limits.MaxMessageSize,
            MaxSendChunkCount: serverMaxChunks == 0 ? int.MaxValue : (int)Math.Min(serverMaxChunks, int.MaxValue),
            MaxReceiveChunkCount: MaxChunks(_limits));
    }

    /// <summary>Chunks a largest message may take when each carries a signature and padding.</summary>
    private static int MaxChunks(DecodingLimits limits) =>
        limits.MaxMessageSize / (OurBufferSize - SymmetricOverhead - SecurityPolicy.SymmetricSignatureLength - 16) + 1;

    private static OpcUaException ParseError(ReadOnlySpan<byte> body)
    {
        try
        {
            var r = new UaBinaryReader(body);
            var code = r.ReadStatusCode();
            var reason = r.ReadString();
            return new OpcUaException(code, $"Server closed the connection: {code}{(string.IsNullOrEmpty(reason) ? string.Empty : " - " + reason)}");
        }
        catch (UaDecodingException ex)
        {
            return new OpcUaException(StatusCode.BadDecodingError, "Server sent an ERR message that does not decode.", ex);
        }
    }

    public RequestHeader NewHeader(NodeId authenticationToken, TimeSpan timeout) => new()
    {
        AuthenticationToken = authenticationToken,
        Timestamp = _time.GetUtcNow().UtcDateTime,
        RequestHandle = (uint)Interlocked.Increment(ref _requestHandle),
        TimeoutHint = (uint)Math.Clamp(timeout.TotalMilliseconds, 0, uint.MaxValue),
    };

    /// <summary>Sends a request and awaits its response; a ServiceFault comes back as the response (the caller checks).</summary>
    public async Task<UaResponse> SendAsync(UaRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = new Pending(null);
        var requestId = await SendCoreAsync(request, pending, timeout, cancellationToken).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout + TimeSpan.FromSeconds(2));
        try
        {
            return await pending.Completion.Task.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _pending.TryRemove(requestId, out _);
            throw new OpcUaException(StatusCode.BadTimeout, $"{request.GetType().Name[..^7]} timed out after {timeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    /// <summary>
    /// Sends a request whose response is handed to <paramref name="callback"/> on the receive loop, in wire order
    /// (the publish pipeline relies on that order). The callback gets null and an exception when the channel dies.
    /// </summary>
    public async Task SendWithCallbackAsync(UaRequest request, Action<UaResponse?, Exception?> callback, CancellationToken cancellationToken)
    {
        var pending = new Pending(callback);
        await SendCoreAsync(request, pending, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    private async Task<uint> SendCoreAsync(UaRequest request, Pending pending, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new OpcUaException(StatusCode.BadConnectionClosed, "The connection is closed.", _completion.Task.Result);
        }

        if (request.Header.Timestamp == default)
        {
            var header = NewHeader(request.Header.AuthenticationToken, timeout);
            header.TimeoutHint = request.Header.TimeoutHint != 0 ? request.Header.TimeoutHint : header.TimeoutHint;
            request.Header = header;
        }

        var isOpen = request is OpenSecureChannelRequest;
        var isClose = request is CloseSecureChannelRequest;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        uint requestId;
        try
        {
            requestId = (uint)Interlocked.Increment(ref _requestId);
            _pending[requestId] = pending;
            _bodyWriter.Reset();
            _bodyWriter.WriteNodeId(NodeId.FromNumeric(request.BinaryEncodingId));
            request.Encode(_bodyWriter);
            var body = _bodyWriter.WrittenMemory;
            var limits = _transport!;
            if (body.Length > limits.MaxSendMessageSize)
            {
                throw new OpcUaException(StatusCode.BadRequestTooLarge,
                    $"{request.GetType().Name} is {body.Length} bytes; the server accepts at most {limits.MaxSendMessageSize}.");
            }

            var token = _token;
            var headerEnd = isOpen ? 12 + _security.AsymmetricHeader.Length : SymmetricHeaderEnd;
            var maxBody = isOpen ? _security.MaxAsymmetricBody(limits.SendChunkSize, headerEnd) : _security.MaxSymmetricBody(limits.SendChunkSize, headerEnd);
            var chunkCount = Math.Max(1, (body.Length + maxBody - 1) / maxBody);
            if (chunkCount > limits.MaxSendChunkCount)
            {
                throw new OpcUaException(StatusCode.BadRequestTooLarge,
                    $"{request.GetType().Name} needs {chunkCount} chunks; the server accepts at most {limits.MaxSendChunkCount}.");
            }

            if (_chunkBuffer.Length < limits.SendChunkSize)
            {
                _chunkBuffer = new byte[limits.SendChunkSize];
            }

            var chunk = _chunkBuffer;
            for (var i = 0; i < chunkCount; i++)
            {
                var slice = body.Span.Slice(i * maxBody, Math.Min(maxBody, body.Length - i * maxBody));
                var span = chunk.AsSpan();
                (isOpen ? "OPN"u8 : isClose ? "CLO"u8 : "MSG"u8).CopyTo(span);
                span[3] = i == chunkCount - 1 ? (byte)'F' : (byte)'C';
                BinaryPrimitives.WriteUInt32LittleEndian(span[8..], _channelId);
                if (isOpen)
                {
                    _security.AsymmetricHeader.CopyTo(span[12..]);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(span[12..], token.Id);
                }

                // Number assignment and socket write happen under the same lock, so numbers reach the wire in order.
                BinaryPrimitives.WriteUInt32LittleEndian(span[headerEnd..], NextSequenceNumber());
                BinaryPrimitives.WriteUInt32LittleEndian(span[(headerEnd + 4)..], requestId);
                slice.CopyTo(span[(headerEnd + 8)..]);
                var plainEnd = headerEnd + 8 + slice.Length;
                var size = isOpen
                    ? _security.ProtectAsymmetric(span, headerEnd, plainEnd)
                    : _security.ProtectSymmetric(span, headerEnd, plainEnd, token.Send);
                await _stream!.WriteAsync(chunk.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            var error = new OpcUaException(StatusCode.BadConnectionClosed, $"Sending to {_endpoint} failed: {ex.Message}", ex);
            Fail(error);
            throw error;
        }
        finally
        {
            _sendLock.Release();
        }

        return requestId;
    }

    private uint NextSequenceNumber()
    {
        // Part 6 §6.7.2.4: wrap before UInt32.MaxValue − 1024 to a value below 1024.
        _sequenceNumber = _sequenceNumber >= 4294966271u ? 1 : _sequenceNumber + 1;
        return _sequenceNumber;
    }

    private async Task ReceiveLoopAsync()
    {
        var limits = _transport!;
        var buffer = new byte[limits.ReceiveChunkSize];
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                await _stream!.ReadExactlyAsync(buffer.AsMemory(0, HeaderSize), _closing.Token).ConfigureAwait(false);
                var size = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4));
                if (size < HeaderSize + 4 || size > limits.ReceiveChunkSize)
                {
                    throw new OpcUaException(StatusCode.BadTcpMessageTooLarge,
                        $"Chunk of {size} bytes; the negotiated limit is {limits.ReceiveChunkSize}.");
                }

                await _stream.ReadExactlyAsync(buffer.AsMemory(HeaderSize, (int)size - HeaderSize), _closing.Token).ConfigureAwait(false);
                HandleChunk(buffer.AsSpan(0, (int)size));
                if (_security.Signs)
                {
                    // Decrypted plaintext must not linger in the receive buffer.
                    buffer.AsSpan(0, (int)size).Clear();
                }
            }

            Fail(null);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            Fail(null);
        }
        catch (EndOfStreamException ex)
        {
            Fail(new OpcUaException(StatusCode.BadConnectionClosed, $"{_endpoint} closed the connection.", ex));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Fail(new OpcUaException(StatusCode.BadConnectionClosed, $"Connection to {_endpoint} lost: {ex.Message}", ex));
        }
        catch (OpcUaException ex)
        {
            Fail(ex);
        }
        catch (UaDecodingException ex)
        {
            Fail(new OpcUaException(ex.Status, $"Message from {_endpoint} does not decode: {ex.Message}", ex));
        }
        catch (CryptographicException ex)
        {
            // A safety net: every check maps its failure to BadSecurityChecksFailed, but nothing from the crypto
            // library may escape the loop and leave pending requests hanging.
            SecurityFailures++;
            Fail(new OpcUaException(StatusCode.BadSecurityChecksFailed, $"Security check failed on a chunk from {_endpoint}: {ex.Message}", ex));
        }
    }

    /// <summary>
    /// Verifies, decrypts and parses one chunk (MSG, OPN, CLO, ERR) in place. Nothing of a chunk is parsed before
    /// its signature verified: a failure throws, which closes the channel and fails every pending request.
    /// </summary>
    internal void HandleChunk(Span<byte> chunk)
    {
        var type = chunk[..3];
        var final = chunk[3];
        if (type.SequenceEqual("ERR"u8))
        {
            throw ParseError(chunk[HeaderSize..]);
        }

        var isOpn = type.SequenceEqual("OPN"u8);
        if (!isOpn && !type.SequenceEqual("MSG"u8) && !type.SequenceEqual("CLO"u8))
        {
            throw new OpcUaException(StatusCode.BadTcpMessageTypeInvalid, $"Unknown chunk type '{System.Text.Encoding.ASCII.GetString(type)}'.");
        }

        int headerEnd;
        int bodyEnd;
        try
        {
            var header = new UaBinaryReader(chunk[HeaderSize..], _limits);
            var channelId = header.ReadUInt32();
            if (isOpn)
            {
                var policy = header.ReadString();
                var senderCertificate = header.ReadByteString();
                var receiverThumbprint = header.ReadByteString();
                headerEnd = HeaderSize + header.Position;
                int length;
                (length, bodyEnd) = _security.UnprotectAsymmetric(chunk, headerEnd, policy, senderCertificate, receiverThumbprint);
                chunk = chunk[..length];
            }
            else
            {
                var tokenId = header.ReadUInt32();
                var token = _token;
                if (token.Id != tokenId)
                {
                    token = _previousToken is { } previous && previous.Id == tokenId ? previous : null;
                }

                if (channelId != _channelId || token is null)
                {
                    throw new OpcUaException(StatusCode.BadTcpSecureChannelUnknown, $"Chunk for channel {channelId} token {tokenId}; ours is {_channelId}/{_token.Id}.");
                }

                headerEnd = SymmetricHeaderEnd;
                var current = _token;
                if (token != current && _security.Signs)
                {
                    // node-opcua answers a request with the token the request carried, but once that token expired
                    // (125 % of its lifetime: a long-polled Publish) it protects the answer with the newest token's keys
                    // while the header still names the old one. Both are keys of this channel: try the newest on a copy.
                    var copy = chunk.ToArray();
                    try
                    {
                        bodyEnd = _security.UnprotectSymmetric(chunk, headerEnd, token.Receive);
                    }
                    catch (OpcUaException ex) when (ex.Status.Is(StatusCode.BadSecurityChecksFailed))
                    {
                        copy.CopyTo(chunk);
                        bodyEnd = _security.UnprotectSymmetric(chunk, headerEnd, current.Receive);
                    }
                }
                else
                {
                    bodyEnd = _security.UnprotectSymmetric(chunk, headerEnd, token.Receive);
                }
            }
        }
        catch (OpcUaException ex) when (ex.Status.Is(StatusCode.BadSecurityChecksFailed))
        {
            SecurityFailures++;
            throw;
        }

        var r = new UaBinaryReader(chunk[headerEnd..bodyEnd], _limits);
        var sequence = r.ReadUInt32();
        if (_lastReceivedSequence != 0 && sequence != _lastReceivedSequence + 1 && sequence >= 1024)
        {
            throw new OpcUaException(StatusCode.BadSequenceNumberInvalid, $"Sequence number {sequence} after {_lastReceivedSequence}.");
        }

        _lastReceivedSequence = sequence;
        var requestId = r.ReadUInt32();
        var body = r.RemainingSpan;
        switch (final)
        {
            case (byte)'F':
                if (_assemblies.Remove(requestId, out var assembly))
                {
                    assembly.Append(body, _transport!);
                    Complete(requestId, assembly.Buffer.WrittenSpan);
                    Recycle(assembly);
                }
                else
                {
                    Complete(requestId, body);
                }

                break;
            case (byte)'C':
                if (!_assemblies.TryGetValue(requestId, out var open))
                {
                    // Only answers we wait for are assembled, and only so many at once: a peer cannot make us buffer
                    // 16 MB for each of a million invented request ids.
                    if (!_pending.ContainsKey(requestId))
                    {
                        break; // a request that timed out: its late answer is dropped chunk by chunk
                    }

                    if (_assemblies.Count >= MaxOpenAssemblies)
                    {
                        throw new OpcUaException(StatusCode.BadTcpInternalError, $"More than {MaxOpenAssemblies} responses are being assembled at once.");
                    }

                    open = _freeAssemblies.Count > 0 ? _freeAssemblies.Pop() : new ChunkAssembly();
                    _assemblies[requestId] = open;
                }

                open.Append(body, _transport!);
                break;
            case (byte)'A':
                if (_assemblies.Remove(requestId, out var aborting))
                {
                    Recycle(aborting);
                }

                var abort = ParseError(body);
                if (_pending.TryRemove(requestId, out var aborted))
                {
                    aborted.Fail(new OpcUaException(abort.Status, $"Server aborted the response: {abort.Status}"));
                }

                break;
            default:
                throw new OpcUaException(StatusCode.BadTcpMessageTypeInvalid, $"Unknown chunk flag '{(char)final}'.");
        }
    }

    /// <summary>
    /// Multi-chunk responses (every large PublishResponse) are assembled in reused buffers: the decoder copies what
    /// it keeps, so a buffer is free again as soon as its message is decoded.
    /// </summary>
    private void Recycle(ChunkAssembly assembly)
    {
        // Keep a few, and not the buffer of a rare huge response (a 16 MB browse result should not live on).
        if (_freeAssemblies.Count < 4 && assembly.Buffer.Capacity <= 4 * 1024 * 1024)
        {
            assembly.Reset();
            _freeAssemblies.Push(assembly);
        }
    }

    private void Complete(uint requestId, ReadOnlySpan<byte> body)
    {
        if (!_pending.TryRemove(requestId, out var pending))
        {
            return; // timed out; the answer came late
        }

        UaResponse response;
        try
        {
            var reader = new UaBinaryReader(body, _limits);
            response = ResponseDecoders.Decode(ref reader);
        }
        catch (UaDecodingException ex)
        {
            // One undecodable response fails its request, not the channel.
            pending.Fail(new OpcUaException(ex.Status, $"Response does not decode: {ex.Message}", ex));
            return;
        }

        pending.Succeed(response);
    }

    private void Fail(Exception? reason)
    {
        if (!_completion.TrySetResult(reason))
        {
            return;
        }


        _renewTimer?.Dispose();
        var error = reason ?? new OpcUaException(StatusCode.BadConnectionClosed, "The secure channel was closed.");
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.Fail(error);
            }
        }

        _closing.Cancel();
        _tcp.Dispose();
    }

    /// <summary>Sends CloseSecureChannel (best effort) and closes the socket.</summary>
    public async Task CloseAsync()
    {
        if (IsOpen && _transport is not null && _stream is not null && _channelId != 0)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await SendCoreAsync(new CloseSecureChannelRequest(), new Pending(null), TimeSpan.FromSeconds(2), cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
            {
                // Already gone: nothing to close.
            }
        }

        Fail(null);
    }

    /// <summary>Drops the socket without a goodbye (tests simulate a cut cable with it).</summary>
    public void Abort() => Fail(new OpcUaException(StatusCode.BadConnectionClosed, "Connection aborted."));

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(false);
        }

        _renewTimer?.Dispose();
        _closing.Dispose();
        _sendLock.Dispose();
        _token.Dispose();
        _previousToken?.Dispose();
        _security.Dispose();
    }

    /// <summary>A security token's id and the keys derived for it (none with SecurityPolicy None).</summary>
    private sealed record ChannelToken(uint Id, SymmetricKeys? Send, SymmetricKeys? Receive) : IDisposable
    {
        public void Dispose()
        {
            Send?.Dispose();
            Receive?.Dispose();
        }
    }

    private sealed class Pending(Action<UaResponse?, Exception?>? callback)
    {
        public TaskCompletionSource<UaResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Succeed(UaResponse response)
        {
            if (callback is not null)
            {
                callback(response, null);
            }
            else
            {
                Completion.TrySetResult(response);
            }
        }

        public void Fail(Exception error)
        {
            if (callback is not null)
            {
                callback(null, error);
            }
            else
            {
                Completion.TrySetException(error);
            }
        }
    }

    private sealed class ChunkAssembly
    {
        public UaBinaryWriter Buffer { get; } = new(65536);

        public int Chunks { get; private set; }

        public void Reset()
        {
            Buffer.Reset();
            Chunks = 0;
        }

        public void Append(ReadOnlySpan<byte> body, TransportLimits limits)
        {
            Chunks++;
            if (Chunks > limits.MaxReceiveChunkCount || Buffer.Position + body.Length > limits.MaxReceiveMessageSize)
            {
                throw new OpcUaException(StatusCode.BadResponseTooLarge, string.Create(CultureInfo.InvariantCulture,
                    $"Response exceeds {limits.MaxReceiveMessageSize} bytes or {limits.MaxReceiveChunkCount} chunks."));
            }

            Buffer.WriteBytes(body);
        }
    }
}
