using EdgeOps.Ingest;
using EdgeOps.Publishing.Tests.Support;

namespace EdgeOps.Ingest.Tests.Mapping;

/// <summary>Every contract sample, as the gateway serializes it: the fast path gives the full mapper's lines.</summary>
public sealed class ContractLineFastPathSampleTests
{
    [Fact]
    public void EverySample_MapsToTheSameLines_OnTheFastPath()
    {
        var machine = Samples.Machine();
        // The order samples (order topic, order events, a shift with per-product counts) are declined: the same lines then.
        var messages = Samples.OneOfEach(machine).Concat(ConditionSamples.All(machine)).Concat(Samples.Orders(machine)).ToList();
        Assert.NotEmpty(messages);
        var fast = 0;
        foreach (var (message, seq) in messages.Select((m, i) => (m, i + 1L)))
        {
            var payload = message.RenderPayload(message.FixedSeq ?? seq);
            var points = new List<InfluxPoint>();
            var status = ContractPointMapper.Map(message.Topic, payload, points, out var error);
            var lines = new LineBatch();
            if (ContractLineFastPath.TryMap(message.Topic, payload, lines))
            {
                fast++;
                Assert.True(status == MapStatus.Mapped, $"{message.Topic}: fast path mapped what the full mapper calls {status} ({error})");
                Assert.Equal(points.Select(p => p.ToLineProtocol()), lines.ToStrings(0, lines.Count));
            }
            else
            {
                Assert.Equal(0, lines.Count);
            }
        }

        // The hot kinds (kpi, state, counts, events) at least must not fall back.
        Assert.True(fast >= 4, $"only {fast} of {messages.Count} samples took the fast path");
    }
}
