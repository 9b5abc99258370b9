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

    [Fact]
    public async Task TokenLink_SetsTheCookieAndRedirectsToTheUrlWithoutIt_AndTheTokenIsNeverLogged()
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = Base };
        using var link = await http.GetAsync(new Uri($"/machine/press?token={Token}&view=oee", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        Assert.Equal("/machine/press?view=oee", link.Headers.Location?.OriginalString);
        var cookie = Assert.Single(link.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // plain HTTP here
        using var page = await http.GetAsync(link.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // Nothing the gateway printed, request lines included, carries the token.
        await Task.Delay(500); // the console logger writes on its own thread
        Assert.DoesNotContain(Token, _gateway!.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedTokens_TenFromOneAddress_ThatAddressGets429EvenWithTheRightToken()
    {
        using var http = new HttpClient { BaseAddress = Base };
        for (var i = 0; i < 10; i++)
        {
            using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/line", UriKind.Relative));
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        }

        using var right = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/line", UriKind.Relative));
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var throttled = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(throttled.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Post_FromAnotherOrigin_IsRefused_FromTheGatewaysOwnOriginItPasses()
    {
        using var http = new HttpClient { BaseAddress = Base };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var body = """{"stopId":999999,"reasonCode":"jam"}""";
        foreach (var (origin, refused) in new[] { ("http://evil.example", true), ($"http://127.0.0.2:{_port}", false), ("", false) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/machines/press/reason", UriKind.Relative))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            if (origin.Length > 0)
            {
                request.Headers.Add("Origin", origin);
            }

            using var response = await http.SendAsync(request);
            Assert.True(refused == (response.StatusCode == HttpStatusCode.Forbidden), $"Origin '{origin}': {response.StatusCode}");
        }

        Assert.Contains("from origin http://evil.example", _gateway!.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortSharedToken_RefusesToStart_NamingTheKeyAndTheLengthNotTheToken()
    {
        using var process = Start("http://127.0.0.1:" + FreePort.Next(), "--EdgeOps:Web:Token=too-short-tok");
        await WaitForExitAsync(process);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("EdgeOps:Web:Token has 13 characters; use at least 16", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short-tok", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundBeyondLoopbackThroughKestrelEndpoints_WhileUrlsSayLoopback_StopsWithoutAToken()
    {
        var beyond = $"http://127.0.0.2:{FreePort.Next()}";
        using var process = Start("http://127.0.0.1:" + FreePort.Next(), $"--Kestrel:Endpoints:Http:Url={beyond}");
        await WaitForExitAsync(process);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"The live view listens on {beyond}, beyond 127.0.0.1", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopbackBoard_LogsItsUrlAndBroker_RefusesOtherHostNamesAndCrossOriginPosts()
    {
        var port = FreePort.Next();
        var local = new Uri($"http://127.0.0.1:{port}");
        using var process = Start(local.ToString().TrimEnd('/'));
        using var http = new HttpClient { BaseAddress = local, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!process.Output.Contains("Live view on", StringComparison.Ordinal))
        {
            Assert.False(process.HasExited, process.Output);
            Assert.True(DateTime.UtcNow < deadline, $"no live view line in the start-up log:\n{process.Output}");
            await Task.Delay(200);
        }

        Assert.Contains($"Live view on http://127.0.0.1:{port}/ (needs no token (loopback only)); MQTT broker: embedded, mqtt://127.0.0.1:",
            process.Output, StringComparison.Ordinal);
        using var ok = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        // DNS rebinding: a page on another name that resolves to 127.0.0.1.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/line", UriKind.Relative));
        rebound.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(rebound)).StatusCode);

        // The open loopback board still refuses a write a page elsewhere makes the operator's browser send.
        using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/machines/press/reason", UriKind.Relative))
        {
            Content = new StringContent("""{"stopId":1,"reasonCode":"jam"}""", Encoding.UTF8, "application/json"),
        };
        forged.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(forged)).StatusCode);
    }

    private static async Task WaitForExitAsync(ManagedProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(process.HasExited, $"the gateway did not stop:\n{process.Output}");
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
