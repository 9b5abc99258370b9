using System.Collections.Concurrent;
using System.Net;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.TestSupport.Http;

/// <summary>
/// A loopback HTTP server of the test's own: records every request as it arrived (headers, and the body's raw bytes,
/// not decoded) and answers with what the test's responder returns, e.g. a scripted 429 or the answer of a real
/// server the request was relayed to. For checking what a client really puts on the wire.
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, Task<ScriptedResponse>> _respond;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly IDisposable? _owned;

    public RecordingHttpServer(Func<RecordedRequest, Task<ScriptedResponse>> respond)
        : this(respond, owned: null)
    {
    }

    private RecordingHttpServer(Func<RecordedRequest, Task<ScriptedResponse>> respond, IDisposable? owned)
    {
        _respond = respond;
        _owned = owned;
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Always answers <paramref name="response"/>.</summary>
    public static RecordingHttpServer Answering(ScriptedResponse response) => new(_ => Task.FromResult(response));

    /// <summary>
    /// Forwards each request to <paramref name="upstream"/> with the same path, query, body bytes and content headers
    /// (Content-Encoding included), and answers what the upstream server answered.
    /// </summary>
    public static RecordingHttpServer RelayTo(Uri upstream)
    {
        var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        return new RecordingHttpServer(async request =>
        {
            using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream, request.PathAndQuery.TrimStart('/')));
            var content = new ByteArrayContent(request.Body);
            foreach (var (name, value) in request.Headers)
            {
                if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                    && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    content.Headers.TryAddWithoutValidation(name, value);
                }
                else if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    forward.Headers.TryAddWithoutValidation(name, value);
                }
            }

            forward.Content = content;
            using var answer = await http.SendAsync(forward);
            var body = await answer.Content.ReadAsStringAsync();
            return new ScriptedResponse((int)answer.StatusCode, body, answer.Content.Headers.ContentType?.ToString());
        }, http);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
        _owned?.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .Select(k => (k!, context.Request.Headers[k] ?? string.Empty))
                .ToList();
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "/", headers, body.ToArray());
            _requests.Enqueue(request);
            ScriptedResponse response;
            try
            {
                response = await _respond(request);
            }
#pragma warning disable CA1031 // The test sees the failure as a 500 with the reason, rather than as a hang.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                response = new ScriptedResponse(500, ex.ToString(), "text/plain");
            }

            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers ?? [])
            {
                context.Response.Headers[name] = value;
            }

            if (response.Body is { Length: > 0 } text)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                context.Response.ContentType = response.ContentType ?? "text/plain";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }

            context.Response.Close();
        }
    }
}

/// <summary>One request as it arrived: method, path with query, headers in order (a repeated header once per value list) and raw body.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    /// <summary>The header's value as it arrived (comma-joined if sent more than once), or null.</summary>
    public string? Header(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}

/// <summary>What <see cref="RecordingHttpServer"/> answers: status, optional body and headers (e.g. Retry-After).</summary>
public sealed record ScriptedResponse(int Status, string? Body = null, string? ContentType = null,
    IReadOnlyList<(string Name, string Value)>? Headers = null);
