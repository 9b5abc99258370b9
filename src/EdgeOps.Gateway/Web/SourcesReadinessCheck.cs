using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Web;

/// <summary>Ready when every configured source has a live link to its hardware.</summary>
internal sealed class SourcesReadinessCheck(IEnumerable<ISignalSource> sources) : IReadinessCheck
{
    public string Name => "sources";

    public ReadinessResult Check()
    {
        var down = sources.Where(s => !s.IsConnected).Select(s => s.Name).ToList();
        return down.Count == 0
            ? new ReadinessResult(true, "all sources connected")
            : new ReadinessResult(false, "not connected: " + string.Join(", ", down));
    }
}
