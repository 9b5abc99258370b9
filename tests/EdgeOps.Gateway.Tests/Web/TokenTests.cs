using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
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
    private const string AliceToken = "alice-tablet-token-1";
    private const string BobToken = "bob-tablet-token-22";
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-token-").FullName;
    private readonly int _port = FreePort.Next();
    private ManagedProcess? _gateway;

    private Uri Base => new($"http://127.0.0.2:{_port}");

    public async Task InitializeAsync()
    {
        _gateway = Start($"http://127.0.0.2:{_port}", $"--EdgeOps:Web:Token={Token}",
            "--EdgeOps:Web:Users:0:Name=alice", $"--EdgeOps:Web:Users:0:Token={AliceToken}",
            // Bob's token only as its SHA-256: the configuration holds no secret.
            "--EdgeOps:Web:Users:1:Name=bob",
            $"--EdgeOps:Web:Users:1:TokenSha256={Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(BobToken)))}",
            // Fast simulated time, so a stop to explain comes within seconds.
            "--EdgeOps:Simulator:Speed=60");
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
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("EdgeOps:Web:Token", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.Output, StringComparison.Ordinal); // a clear message, not a stack trace
    }

    [Fact]
    public async Task ConfiguredUsers_SignInWithTheirOwnTokenOrTheBrowsersLoginPrompt_AndNobodyElse()
    {
        using var http = new HttpClient { BaseAddress = Base };
        foreach (var (scheme, value, expected) in new[]
        {
            ("Bearer", AliceToken, HttpStatusCode.OK),
            ("Bearer", BobToken, HttpStatusCode.OK),
            ("Basic", Basic("alice", AliceToken), HttpStatusCode.OK),
            ("Basic", Basic("bob", BobToken), HttpStatusCode.OK),
            ("Basic", Basic("bob", AliceToken), HttpStatusCode.Unauthorized), // alice's token is not bob's
            ("Basic", Basic("mallory", Token), HttpStatusCode.Unauthorized), // the shared token has no user name
            ("Bearer", "alice", HttpStatusCode.Unauthorized),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/line", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, value);
            using var response = await http.SendAsync(request);
            Assert.True(expected == response.StatusCode, $"{scheme} {value}: {response.StatusCode}");
            if (expected == HttpStatusCode.Unauthorized)
            {
                // With users configured the challenge is Basic: a tablet's browser shows its login prompt.
                Assert.Equal("Basic", response.Headers.WwwAuthenticate.First().Scheme);
            }
        }
    }

    [Fact]
    public async Task ReasonPickedBySignedInUser_IsRecordedUnderTheirName_WhateverTheBodySays()
    {
        using var http = new HttpClient { BaseAddress = Base };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Basic("alice", AliceToken));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        string? assigned = null;
        while (assigned is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no stop to explain in 90 s");
            using var lineResponse = await http.GetAsync(new Uri("/api/line", UriKind.Relative));
            using var line = JsonDocument.Parse(await lineResponse.Content.ReadAsStringAsync());
            foreach (var m in line.RootElement.GetProperty("machines").EnumerateArray())
            {
                if (m.GetProperty("currentStopId").ValueKind != JsonValueKind.Number)
                {
                    continue;
                }

                var id = m.GetProperty("machineId").GetString()!;
                var reason = m.GetProperty("reasonCode").GetString() == "no-operator" ? "quality-check" : "no-operator";
                var body = JsonSerializer.Serialize(new { stopId = m.GetProperty("currentStopId").GetInt64(), reasonCode = reason, who = "someone-else" });
                using var response = await http.PostAsync(new Uri($"/api/machines/{id}/reason", UriKind.Relative),
                    new StringContent(body, Encoding.UTF8, "application/json"));
                if (response.IsSuccessStatusCode)
                {
                    assigned = id;
                    break;
                }
            }

            await Task.Delay(200);
        }

        using var eventsResponse = await http.GetAsync(new Uri("/api/events", UriKind.Relative));
        using var events = JsonDocument.Parse(await eventsResponse.Content.ReadAsStringAsync());
        Assert.Contains(events.RootElement.EnumerateArray(), e =>
            e.GetProperty("kind").GetString() == "reasonAssigned" && e.GetProperty("machineId").GetString() == assigned
            && e.GetProperty("who").GetString() == "alice");
        Assert.DoesNotContain(events.RootElement.EnumerateArray(), e =>
            e.GetProperty("kind").GetString() == "reasonAssigned" && e.GetProperty("who").GetString() == "someone-else");
    }

    [Theory]
    [InlineData("--EdgeOps:Web:Users:0:Token=only-a-token-here", "EdgeOps:Web:Users:0:Name")]
    [InlineData("--EdgeOps:Web:Users:0:Name=carol", "EdgeOps:Web:Users:0: set exactly one of Token and TokenSha256")]
    [InlineData("--EdgeOps:Web:Users:0:Name=carol --EdgeOps:Web:Users:0:TokenSha256=abc", "EdgeOps:Web:Users:0:TokenSha256: expected 64 hex digits")]
    public async Task BadUserList_RefusesToStart_NamingTheKey_WithoutAStackTrace(string settings, string expected)
    {
        using var process = Start("http://127.0.0.1:" + FreePort.Next(), settings.Split(' '));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(process.HasExited, "the gateway started with a broken user list");
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.Output, StringComparison.Ordinal);
    }

    private static string Basic(string user, string token) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{token}"));

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
