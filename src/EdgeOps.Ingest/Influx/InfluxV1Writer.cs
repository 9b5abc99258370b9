using System.Net.Http.Headers;
using System.Text;

namespace EdgeOps.Ingest;

/// <summary>
/// InfluxDB 1.x <c>/write</c> (database, retention policy, user and password as basic auth), gzip body,
/// nanosecond precision. Also serves plants on 1.8 whose 2.x compatibility layer is not set up.
/// </summary>
public sealed class InfluxV1Writer : IInfluxWriter
{
    private readonly HttpClient _http;
    private readonly Uri _writeUri;
    private readonly AuthenticationHeaderValue? _auth;
    private readonly TimeProvider _time;

    /// <param name="options">Where to write (<see cref="InfluxOptions.Url"/>, database, retention policy, credentials).</param>
    /// <param name="handler">The HTTP handler; a new one when null.</param>
    /// <param name="time">The clock a Retry-After date is measured against; the system clock when null.</param>
    public InfluxV1Writer(InfluxOptions options, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        var baseUrl = options.Url ?? throw new ArgumentException("Url is required.", nameof(options));
        var query = new StringBuilder("write?precision=ns&db=").Append(Uri.EscapeDataString(options.Database ?? string.Empty));
        if (!string.IsNullOrEmpty(options.RetentionPolicy))
        {
            query.Append("&rp=").Append(Uri.EscapeDataString(options.RetentionPolicy));
        }

        _writeUri = new Uri(EnsureTrailingSlash(baseUrl), query.ToString());
        Endpoint = new Uri(EnsureTrailingSlash(baseUrl), "write").ToString();
        if (!string.IsNullOrEmpty(options.Username))
        {
            var raw = Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}");
            _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }

        // Gzip in the same handler as the v2 writer's (fastest level, one mechanism for both APIs).
        var inner = handler ?? new SocketsHttpHandler();
        _http = new HttpClient(options.Gzip ? new GzipWriteHandler(inner) : inner, disposeHandler: handler is null)
        {
            Timeout = options.RequestTimeout,
        };
    }

    public string Endpoint { get; }

    public Task<InfluxWriteOutcome> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        InfluxWriteRequest.SendAsync(_http, _writeUri, body, _auth, InfluxWriteRequest.TextOf, _time, cancellationToken);

    public void Dispose() => _http.Dispose();

    private static Uri EnsureTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
