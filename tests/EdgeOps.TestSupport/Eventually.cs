namespace EdgeOps.TestSupport;

/// <summary>Polls a condition until it holds or the timeout passes (then fails with the last observation).</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<(bool Ok, string Observed)>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var observed = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            (var ok, observed) = await condition();
            if (ok)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Condition did not hold within {timeout.TotalSeconds:0} s. Last observed: {observed}");
    }
}
