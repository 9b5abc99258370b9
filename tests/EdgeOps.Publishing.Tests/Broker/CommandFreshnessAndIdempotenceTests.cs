using System.Text;
using System.Text.Json;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Publishing.Tests.Broker;

/// <summary>The router's rules on stale, expired and repeated commands, with the request log on disk as in the gateway.</summary>
public sealed class CommandFreshnessAndIdempotenceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerFactory _logs = new();
    private readonly Counter _handler = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeops-commands-").FullName;
    private readonly MachineTopics _m = Samples.Machine();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Expired_IsRefusedInTheReply_AndNotApplied()
    {
        using var router = Router();
        var reply = await SendAsync(router, """{"requestId":"e-1","item":"lubrication","expiresAt":"2026-11-26T07:59:59Z"}""");

        Assert.False(reply.GetProperty("ok").GetBoolean());
        Assert.StartsWith("expired: 'expiresAt' is 2026-11-26T07:59:59.000Z", reply.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _handler.Count);
    }

    [Fact]
    public async Task OlderThanTheMaximumAge_IsRefusedAsStale_YoungerIsApplied()
    {
        using var router = Router(new CommandOptions { MaxAge = TimeSpan.FromMinutes(2) });
        var stale = await SendAsync(router, """{"requestId":"s-1","item":"lubrication","ts":"2026-11-26T07:57:59Z"}""");
        var fresh = await SendAsync(router, """{"requestId":"s-2","item":"lubrication","ts":"2026-11-26T07:58:30Z","expiresAt":"2026-11-26T08:00:01Z"}""");
        var future = await SendAsync(router, """{"requestId":"s-3","item":"lubrication","ts":"2026-11-26T08:05:00Z"}""");

        Assert.False(stale.GetProperty("ok").GetBoolean());
        Assert.Contains("stale: 'ts' is 2026-11-26T07:57:59.000Z, 121 s before", stale.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("EdgeOps:Mqtt:Commands:MaxAge = 00:02:00", stale.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(fresh.GetProperty("ok").GetBoolean(), fresh.ToString());
        Assert.False(future.GetProperty("ok").GetBoolean());
        Assert.Contains("check the sender's clock", future.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, _handler.Count);
    }

    [Fact]
    public async Task SameRequestId_AfterARestart_IsAnsweredAgainNotApplied_UntilTheRetentionPasses()
    {
        var options = new CommandOptions { RequestLogPath = Path.Combine(_directory, "commands.db") };
        using (var first = Router(options))
        {
            var applied = await SendAsync(first, """{"requestId":"r-1","item":"lubrication"}""", sender: "mes");
            Assert.True(applied.GetProperty("ok").GetBoolean());
            Assert.False(applied.TryGetProperty("duplicate", out _));
        }

        _time.Advance(TimeSpan.FromHours(23));
        using (var second = Router(options))
        {
            var again = await SendAsync(second, """{"requestId":"r-1","item":"lubrication"}""", sender: "mes");
            Assert.True(again.GetProperty("ok").GetBoolean());
            Assert.True(again.GetProperty("duplicate").GetBoolean());
            Assert.Equal(1, _handler.Count);

            // The same id on another machine is another request.
            var other = await SendAsync(second, """{"requestId":"r-1","item":"lubrication"}""", machine: Samples.Machine("capper"));
            Assert.False(other.TryGetProperty("duplicate", out _));
            Assert.Equal(2, _handler.Count);

            _time.Advance(TimeSpan.FromHours(1.5));
            var later = await SendAsync(second, """{"requestId":"r-1","item":"lubrication"}""");
            Assert.False(later.TryGetProperty("duplicate", out _));
            Assert.Equal(3, _handler.Count);
        }
    }

    [Fact]
    public async Task Rejected_IsNotRemembered_SoTheSenderCanRetryTheSameRequest()
    {
        using var router = Router();
        _handler.Refuse = "no stop in progress";
        Assert.False((await SendAsync(router, """{"requestId":"x-1","item":"lubrication"}""")).GetProperty("ok").GetBoolean());
        _handler.Refuse = null;
        Assert.True((await SendAsync(router, """{"requestId":"x-1","item":"lubrication"}""")).GetProperty("ok").GetBoolean());
        Assert.Equal(1, _handler.Count);
    }

    private CommandRouter Router(CommandOptions? options = null) =>
        new([_handler], options ?? new CommandOptions(), _time, _logs.CreateLogger<CommandRouter>());

    private async Task<JsonElement> SendAsync(CommandRouter router, string payload, string? sender = null, MachineTopics? machine = null)
    {
        var reply = await router.HandleAsync((machine ?? _m).Command(CommandVerb.ResetMaintenance), Encoding.UTF8.GetBytes(payload), sender,
            CancellationToken.None);
        Assert.NotNull(reply);
        return JsonDocument.Parse(reply.RenderPayload(1)).RootElement.Clone();
    }

    private sealed class Counter : ICommandHandler
    {
        public int Count { get; private set; }

        public string? Refuse { get; set; }

        public IReadOnlyCollection<string> Verbs { get; } = [CommandVerb.ResetMaintenance];

        public ValueTask<CommandResult> HandleAsync(MachineCommand command, CancellationToken cancellationToken)
        {
            if (Refuse is not null)
            {
                return ValueTask.FromResult(CommandResult.Rejected(Refuse));
            }

            Count++;
            return ValueTask.FromResult(CommandResult.Applied);
        }
    }
}
