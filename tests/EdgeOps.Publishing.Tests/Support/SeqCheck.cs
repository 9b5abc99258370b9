using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Publishing.Tests.Support;

public static class SeqCheck
{
    /// <summary>
    /// Asserts the subscriber saw every seq 1..<paramref name="last"/> on <paramref name="topic"/>, each first seen in
    /// increasing order (duplicates of an at-least-once resend are allowed and removed).
    /// </summary>
    public static void EveryOnceInOrder(IReadOnlyList<ReceivedMessage> received, string topic, long last, string who)
    {
        var seen = new HashSet<long>();
        var firstSeen = new List<long>();
        foreach (var message in received.Where(r => r.Topic == topic))
        {
            if (seen.Add(message.Seq))
            {
                firstSeen.Add(message.Seq);
            }
        }

        var missing = Enumerable.Range(1, (int)last).Select(i => (long)i).Where(s => !seen.Contains(s)).ToList();
        Assert.True(missing.Count == 0,
            $"{who}: {missing.Count} of {last} seqs missing on {topic}: {string.Join(",", missing.Take(30))}");
        var outOfOrder = firstSeen.Zip(firstSeen.Skip(1)).FirstOrDefault(p => p.Second < p.First);
        Assert.True(outOfOrder == default, $"{who}: seq {outOfOrder.Second} first arrived after {outOfOrder.First} on {topic}");
        Assert.Equal(last, firstSeen.Count);
    }
}
