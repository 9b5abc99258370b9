using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>
/// The gateway bound beyond 127.0.0.1 needs the token. The test binds 127.0.0.2 (still the loopback interface, so
/// nothing is exposed) which the gateway, by design, treats like any address other than the default one.
/// </summary>
public sealed class TokenTests : IAsyncLifetime
{
    private const string Token = "s3cret-andon-token";
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-token-").FullName;
    private readonly int _port = FreePort.Next();
    private ManagedProcess? _gateway;

    private Uri Base => new($"http://127.0.0.2:{_port}");

    public async Task InitializeAsync()
    {
        _gateway = Start($"http://127.0.0.2:{_port}", $"--EdgeOps:Web:Token={Token}");
        using var http = new HttpClient { BaseAddress = Base, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            Assert.False(_gateway.HasExited, $"the gateway exited:\n{_gateway.Output}");
            try
            {
                using var r = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"the gateway did not answer on {Base}:\n{_gateway.Output}");
            await Task.Delay(200);
        }
    }

    public Task DisposeAsync()
    {
        _gateway?.Dispose();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/line")]
    [InlineData("/api/stream")]
    [InlineData("/metrics")]
    public async Task BeyondLoopback_WithoutTheToken_RefusesTheRequest(string path)
    {
        using var http = new HttpClient { BaseAddress = Base };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task BeyondLoopback_ReasonCapture_IsRefusedWithoutTheTokenAndReachesTheEngineWithIt()
    {
        using var http = new HttpClient { BaseAddress = Base };
        const string body = """{"stopId":999999,"reasonCode":"maintenance","who":"intruder"}""";
        using (var refused = await http.PostAsync(new Uri("/api/machines/press/reason", UriKind.Relative),
                   new StringContent(body, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/machines/press/reason", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var accepted = await http.SendAsync(request);
        // Past the gate the engine answers: there is no such stop, and it says so.
        Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
        Assert.Contains("no stop with id 999999", await accepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/line", UriKind.Relative));
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task BeyondLoopback_WithTheTokenInTheLink_ServesTheBoardAndKeepsItInACookie()
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = Base };
        using var board = await http.GetAsync(new Uri($"/?token={Token}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        using var line = await http.GetAsync(new Uri("/api/line", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, line.StatusCode);
    }

    [Fact]
    public async Task BeyondLoopback_WithoutAConfiguredToken_RefusesToStartAndNamesTheKey()
    {
        using var process = Start($"http://127.0.0.2:{FreePort.Next()}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(process.HasExited, "the gateway started without a token beyond loopback");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("EdgeOps:Web:Token", process.Output, StringComparison.Ordinal);
    }

    private ManagedProcess Start(string urls, params string[] extra) => ManagedProcess.Start("dotnet",
    [
        GatewayProcess.DllPath,
        "--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"),
        "--data", Path.Combine(_data, Guid.NewGuid().ToString("N")),
        "--EdgeOps:ConsoleSummaryInterval=00:00:00",
        $"--EdgeOps:Web:Urls={urls}",
        $"--EdgeOps:Mqtt:EmbeddedPort={FreePort.Next()}",
        .. extra,
    ], RepoPaths.Root, null);
}
