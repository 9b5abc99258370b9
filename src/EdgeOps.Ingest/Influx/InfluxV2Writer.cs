using System.Text;
using System.Net;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;

namespace EdgeOps.Ingest;

/// <summary>
/// <c>/api/v2/write</c> (org, bucket, token) through InfluxDB.Client's async write API, gzip on:
/// what InfluxDB 2.x, Cloud and 3.x accept, and 1.8 with <c>user:password</c> as the token.
/// The client sends through our own HttpClient, whose <see cref="GzipWriteHandler"/> compresses the body at the
/// fastest level; the client's own (slower) gzip stays off.
/// </summary>
public sealed class InfluxV2Writer : IInfluxWriter
{
    private readonly HttpClient _http;
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _writeApi;
    private readonly string _bucket;
    private readonly string _org;

    public InfluxV2Writer(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = options.Url ?? throw new ArgumentException("Url is required.", nameof(options));
        _bucket = options.Bucket ?? throw new ArgumentException("Bucket is required.", nameof(options));
        _org = options.Org ?? throw new ArgumentException("Org is required.", nameof(options));
        // As the client's own handler: no redirects (a redirected POST loses its body), no response decompression
        // (the client asks for identity); connections renewed now and then so a server's new address is picked up.
        // The client applies RequestTimeout itself, as before.
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(options.Gzip ? new GzipWriteHandler(handler) : handler) { Timeout = Timeout.InfiniteTimeSpan };
        var clientOptions = new InfluxDBClientOptions(url.AbsoluteUri)
        {
            Token = options.Token ?? string.Empty,
            Org = _org,
            Bucket = _bucket,
            Timeout = options.RequestTimeout,
            HttpClient = _http,
        };
        _client = new InfluxDBClient(clientOptions);
        _writeApi = _client.GetWriteApiAsync();
        Endpoint = new Uri(url, "api/v2/write").ToString();
    }

    public string Endpoint { get; }

    public async Task<InfluxWriteOutcome> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // The client takes strings: the whole body as one record (it ends in a newline the client does not need).
        var span = body.Span;
        var record = Encoding.UTF8.GetString(span.Length > 0 && span[^1] == (byte)'\n' ? span[..^1] : span);
        try
        {
            await _writeApi.WriteRecordAsync(record, WritePrecision.Ns, _bucket, _org, cancellationToken).ConfigureAwait(false);
            return InfluxWriteOutcome.Ok;
        }
        catch (HttpException ex)
        {
            var retryAfter = ex.RetryAfter is int seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var rejected = ex.Status is 400 or 422;
            return new InfluxWriteOutcome(rejected ? InfluxWriteStatus.Rejected : InfluxWriteStatus.Unavailable,
                ex.Status == 0 ? null : ex.Status, ex.Message, retryAfter);
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

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
    }
}
