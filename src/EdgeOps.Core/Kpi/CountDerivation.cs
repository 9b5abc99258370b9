namespace EdgeOps.Core.Kpi;

/// <summary>
/// Completes total/good/reject from the wired ones (design section 4: any two give the third). A difference of two
/// inputs that arrive separately can step back for a moment (good counted before its total); it is never negative.
/// </summary>
internal static class CountDerivation
{
    public static ProductionCounts Derive(
        bool hasTotal, bool hasGood, bool hasReject, long total, long good, long reject, long rework)
    {
        var t = hasTotal ? total : good + reject;
        var g = hasGood ? good : Math.Max(0, t - reject);
        var r = hasReject ? reject : (hasTotal && hasGood ? Math.Max(0, total - good) : 0);
        return new ProductionCounts(t, g, r, rework);
    }

    public static long DeriveGood(bool hasTotal, bool hasGood, bool hasReject, long total, long good, long reject)
    {
        if (hasGood)
        {
            return good;
        }

        var t = hasTotal ? total : reject;
        return Math.Max(0, t - (hasReject ? reject : 0));
    }
}
