namespace EdgeOps.Gateway.Web;

/// <summary>
/// One part of /readyz. Register implementations as <c>IReadinessCheck</c> singletons (the sources check is built in;
/// the MQTT publisher adds broker-connected and outbox-not-stuck).
/// </summary>
public interface IReadinessCheck
{
    /// <summary>Short name shown in the /readyz body (e.g. "sources", "mqtt").</summary>
    string Name { get; }

    /// <summary>Ready or not, with a reason a person on call can act on.</summary>
    ReadinessResult Check();
}

/// <summary>The outcome of one readiness check.</summary>
public sealed record ReadinessResult(bool Ready, string Detail);
