using System.Net;
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

    public InfluxV1Writer(InfluxOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
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

    public async Task<InfluxWriteOutcome> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri);
        request.Content = new ReadOnlyMemoryContent(body)
        {
            Headers = { ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" } },
        };
        request.Headers.Authorization = _auth;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return InfluxWriteOutcome.Ok;
            }

            var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Classify(response.StatusCode, answer, RetryAfterOf(response));
        }
        catch (HttpRequestException ex)
        {
            return new InfluxWriteOutcome(InfluxWriteStatus.Unavailable, null, ex.Message, null);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new InfluxWriteOutcome(InfluxWriteStatus.Unavailable, null, $"timed out: {ex.Message}", null);
        }
    }

    public void Dispose() => _http.Dispose();

    internal static InfluxWriteOutcome Classify(HttpStatusCode status, string body, TimeSpan? retryAfter)
    {
        var code = (int)status;
        // 400 (unparseable, type conflict) and 422 (outside retention) say the content is wrong. 401/403/404
        // (bad credentials, missing database) are configuration: retrying later may succeed once fixed,
        // and dead-lettering every point meanwhile would lose them from the database.
        var rejected = code is 400 or 422;
        return new InfluxWriteOutcome(rejected ? InfluxWriteStatus.Rejected : InfluxWriteStatus.Unavailable,
            code, string.IsNullOrWhiteSpace(body) ? status.ToString() : body.Trim(), retryAfter);
    }

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static Uri EnsureTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
