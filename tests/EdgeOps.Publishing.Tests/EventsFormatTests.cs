using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeOps.Contract.Payloads;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Publishing.Mqtt.Condition;
using EdgeOps.Publishing.Mqtt.Engine;
using EdgeOps.Publishing.Tests.Support;

namespace EdgeOps.Publishing.Tests;

/// <summary>
/// The engine's and condition monitoring's events share the <c>events</c> topic: one format for both (PayloadFormat),
/// checked on payloads built by the real mappings and serialized by the real context, against docs/contract.
/// </summary>
public sealed partial class EventsFormatTests
{
    // 06:30:00.1234567: a time with more precision than the contract carries.
    private static readonly DateTimeOffset OddStart = new DateTimeOffset(2026, 11, 26, 6, 30, 0, TimeSpan.Zero).AddTicks(1_234_567);
    private static readonly DateTimeOffset Now = OddStart.AddMinutes(5);

    [Fact]
    public async Task EventsFromTheEngineAndFromConditionMonitoring_WriteDetailTimesWithMilliseconds_AndValidateAgainstTheEventSchema()
    {
        var events = new[]
        {
            EnginePayloads.Event(new StopEndedEvent(0, "filler", Now, 7, OddStart, Now - OddStart, StateCategory.Down, "jam", "Jam", false), Now)!,
            EnginePayloads.Event(new ReasonAssignedEvent(0, "filler", Now, 7, OddStart, "unknown", "jam", "Jam", "badge-17"), Now)!,
            ConditionPayloads.AlarmEvent(Alarm(AlarmTransition.Raised, 1.0 / 3), Now),
            ConditionPayloads.AlarmEvent(Alarm(AlarmTransition.Cleared, 1.0 / 3), Now),
        }.Concat(MaintenanceEvents());

        var schema = await ContractSchemas.LoadAsync(ContractSchemas.FileFor("edgeops.event/1"));
        var detailTimes = 0;
        foreach (var payload in events)
        {
            // The outbox numbers a message when it queues it; 1 stands for that here.
            var json = JsonSerializer.Serialize(payload with { Seq = 1 }, PayloadJsonContext.Default.EventPayload);
            var errors = schema.Validate(json);
            Assert.True(errors.Count == 0, $"{string.Join('\n', errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{json}");
            using var document = JsonDocument.Parse(json);
            foreach (var detail in document.RootElement.GetProperty("details").EnumerateObject())
            {
                var text = detail.Value.GetString()!;
                if (LooksLikeTime().IsMatch(text))
                {
                    detailTimes++;
                    Assert.True(MillisecondsUtc().IsMatch(text), $"details.{detail.Name} = '{text}' is not RFC 3339 UTC with milliseconds: {json}");
                }
            }
        }

        Assert.True(detailTimes >= 4, $"only {detailTimes} detail times seen: the samples no longer cover stopStart and raisedAt");
    }

    [Fact]
    public void DetailTimes_OfAStopAndOfAnAlarm_AreTheSameTextForTheSameInstant()
    {
        var stop = EnginePayloads.Event(new StopEndedEvent(0, "filler", Now, 7, OddStart, Now - OddStart, StateCategory.Down, "jam", "Jam", false), Now)!;
        var alarm = ConditionPayloads.AlarmEvent(Alarm(AlarmTransition.Cleared, 2.5), Now);

        Assert.Equal("2026-11-26T06:30:00.123Z", stop.Details!["stopStart"]);
        Assert.Equal(stop.Details["stopStart"], alarm.Details!["raisedAt"]);
    }

    [Fact]
    public void DetailNumbers_FromTheEngineAndFromConditionMonitoring_ReadBackAsTheSameValue()
    {
        var third = 1.0 / 3;
        var anomaly = EnginePayloads.Event(new CounterAnomalyEvent(0, "filler", Now, CounterAnomalyKind.QuarantinedJump, "total", third, 2 * third, 0), Now)!;
        var alarm = ConditionPayloads.AlarmEvent(Alarm(AlarmTransition.Raised, third), Now);

        Assert.Equal(third, double.Parse(anomaly.Details!["previousValue"], CultureInfo.InvariantCulture));
        Assert.Equal(third, double.Parse(alarm.Details!["threshold"], CultureInfo.InvariantCulture));
        Assert.Equal(PayloadFormat.Text(third), alarm.Details["threshold"]);
    }

    private static AlarmEvent Alarm(AlarmTransition transition, double threshold) => new()
    {
        Machine = "filler",
        Signal = "vibration",
        Alarm = "zone-c",
        Severity = AlarmSeverity.Warning,
        Transition = transition,
        Feature = "velocityRms",
        Value = threshold + 0.5,
        Threshold = threshold,
        At = Now,
        RaisedAt = OddStart,
    };

    private static IEnumerable<EventPayload> MaintenanceEvents() =>
        ConditionSamples.Maintenance(Samples.Machine())
            .Where(m => m.Topic.EndsWith("/events", StringComparison.Ordinal))
            .Select(m => JsonSerializer.Deserialize(m.RenderPayload(1), PayloadJsonContext.Default.EventPayload)!);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex LooksLikeTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex MillisecondsUtc();
}
