using System.Net;
using System.Net.Http.Headers;

namespace EdgeOps.Ingest;

/// <summary>
/// The one write request of both APIs (<see cref="InfluxV1Writer"/>, <see cref="InfluxV2Writer"/>): POST the line
/// protocol, and read what came back as an <see cref="InfluxWriteOutcome"/>. The APIs differ in the URL, the
/// credentials and where the server puts its message, not in how a status is judged.
/// </summary>
internal static class InfluxWriteRequest
{
    /// <summary>
    /// Posts <paramref name="body"/> to <paramref name="uri"/>; <paramref name="messageOf"/> reads the server's message
    /// out of a failed response and its text; a Retry-After date is measured against <paramref name="time"/>.
    /// A network error or a timeout is <see cref="InfluxWriteStatus.Unavailable"/>, never an exception.
    /// </summary>
    public static async Task<InfluxWriteOutcome> SendAsync(HttpClient http, Uri uri, ReadOnlyMemory<byte> body,
        AuthenticationHeaderValue? auth, Func<HttpResponseMessage, string, string> messageOf, TimeProvider time,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Content = new ReadOnlyMemoryContent(body)
        {
            Headers = { ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" } },
        };
        request.Headers.Authorization = auth;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return InfluxWriteOutcome.Ok;
            }

            var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Classify(response.StatusCode, messageOf(response, answer), RetryAfterOf(response, time.GetUtcNow()));
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

    /// <summary>The response's text, trimmed, or its status name when it has none (InfluxDB 1.x's own answer).</summary>
    public static string TextOf(HttpResponseMessage response, string body) =>
        string.IsNullOrWhiteSpace(body) ? response.StatusCode.ToString() : body.Trim();

    private static InfluxWriteOutcome Classify(HttpStatusCode status, string message, TimeSpan? retryAfter)
    {
        var code = (int)status;
        // 400 (unparseable, type conflict) and 422 (outside retention) say the content is wrong. 401/403/404
        // (bad credentials, missing database) are configuration: retrying later may succeed once fixed,
        // and dead-lettering every point meanwhile would lose them from the database.
        var rejected = code is 400 or 422;
        return new InfluxWriteOutcome(rejected ? InfluxWriteStatus.Rejected : InfluxWriteStatus.Unavailable, code, message, retryAfter);
    }

    /// <summary>The server's Retry-After (a delay, or a date measured from <paramref name="now"/>), or null.</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
