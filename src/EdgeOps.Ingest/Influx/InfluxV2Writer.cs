using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EdgeOps.Ingest;

/// <summary>
/// <c>/api/v2/write</c> (org, bucket, token), gzip on: what InfluxDB 2.x, Cloud and 3.x accept, and 1.8 with
/// <c>user:password</c> as the token. One POST of the line-protocol body per batch; the <see cref="GzipWriteHandler"/>
/// compresses it at the fastest level.
/// </summary>
/// <remarks>
/// Plain <see cref="HttpClient"/>, not InfluxDB.Client: the write API is one request, and the client (with RestSharp
/// and Newtonsoft.Json under it) is not trimming- or AOT-safe, which kept the gateway from its Native AOT build.
/// The request and the outcomes are those the client produced (InfluxV2WriterWireTests holds them): the body without
/// its last newline, <c>Authorization: Token …</c>, the server's JSON <c>message</c> as the outcome's message.
/// </remarks>
public sealed class InfluxV2Writer : IInfluxWriter
{
    private readonly HttpClient _http;
    private readonly Uri _writeUri;
    private readonly AuthenticationHeaderValue _auth;

    public InfluxV2Writer(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = options.Url ?? throw new ArgumentException("Url is required.", nameof(options));
        var bucket = options.Bucket ?? throw new ArgumentException("Bucket is required.", nameof(options));
        var org = options.Org ?? throw new ArgumentException("Org is required.", nameof(options));
        var baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _writeUri = new Uri(baseUrl, $"api/v2/write?org={Uri.EscapeDataString(org)}&bucket={Uri.EscapeDataString(bucket)}&precision=ns");
        _auth = new AuthenticationHeaderValue("Token", options.Token ?? string.Empty);
        // No redirects (a redirected POST loses its body), no response decompression; connections renewed now and then
        // so a server's new address is picked up.
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(options.Gzip ? new GzipWriteHandler(handler) : handler) { Timeout = options.RequestTimeout };
        Endpoint = new Uri(url, "api/v2/write").ToString();
    }

    public string Endpoint { get; }

    public async Task<InfluxWriteOutcome> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // The last newline is left out, as InfluxDB.Client sent it.
        var span = body.Span;
        using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri);
        request.Content = new ReadOnlyMemoryContent(span.Length > 0 && span[^1] == (byte)'\n' ? body[..^1] : body)
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
            var code = (int)response.StatusCode;
            // 400 (unparseable, type conflict) and 422 (outside retention) say the content is wrong; anything else may
            // pass later (InfluxV1Writer.Classify says why 401/403/404 are not rejections).
            return new InfluxWriteOutcome(code is 400 or 422 ? InfluxWriteStatus.Rejected : InfluxWriteStatus.Unavailable,
                code, MessageOf(response, answer), InfluxV1Writer.RetryAfterOf(response));
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

    /// <summary>InfluxDB 2.x answers <c>{"code":…,"message":…}</c>; 1.8's compatibility layer may only set X-Influxdb-Error.</summary>
    private static string MessageOf(HttpResponseMessage response, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(message.GetString()))
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the header or the text below.
        }

        if (response.Headers.TryGetValues("X-Influxdb-Error", out var errors) && errors.FirstOrDefault() is { Length: > 0 } error)
        {
            return error;
        }

        return string.IsNullOrWhiteSpace(body) ? response.StatusCode.ToString() : body.Trim();
    }
}
