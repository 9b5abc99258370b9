using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;

namespace EdgeOps.Publishing.Influx;

/// <summary>
/// <c>/api/v2/write</c> (org, bucket, token) through InfluxDB.Client's async write API, gzip on:
/// what InfluxDB 2.x, Cloud and 3.x accept, and 1.8 with <c>user:password</c> as the token.
/// </summary>
public sealed class InfluxV2Writer : IInfluxWriter
{
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
        var clientOptions = new InfluxDBClientOptions(url.AbsoluteUri)
        {
            Token = options.Token ?? string.Empty,
            Org = _org,
            Bucket = _bucket,
            Timeout = options.RequestTimeout,
        };
        _client = new InfluxDBClient(clientOptions);
        if (options.Gzip)
        {
            _client.EnableGzip();
        }

        _writeApi = _client.GetWriteApiAsync();
        Endpoint = new Uri(url, "api/v2/write").ToString();
    }

    public string Endpoint { get; }

    public async Task<InfluxWriteOutcome> WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        try
        {
            await _writeApi.WriteRecordsAsync(lines, WritePrecision.Ns, _bucket, _org, cancellationToken).ConfigureAwait(false);
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

    public void Dispose() => _client.Dispose();
}
