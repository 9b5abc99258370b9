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
    private readonly TimeProvider _time;

    /// <param name="options">Where to write (<see cref="InfluxOptions.Url"/>, org, bucket, token).</param>
    /// <param name="time">The clock a Retry-After date is measured against; the system clock when null.</param>
    public InfluxV2Writer(InfluxOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
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

    public Task<InfluxWriteOutcome> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // The last newline is left out, as InfluxDB.Client sent it.
        var span = body.Span;
        return InfluxWriteRequest.SendAsync(_http, _writeUri, span.Length > 0 && span[^1] == (byte)'\n' ? body[..^1] : body, _auth,
            MessageOf, _time, cancellationToken);
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

        return InfluxWriteRequest.TextOf(response, body);
    }
}
