using EdgeOps.Publishing.Mqtt.Commands;
using Microsoft.Extensions.Hosting;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>Registers the command router with the Sparkplug session before the session starts (hosted services start in order).</summary>
internal sealed class SparkplugCommandRegistration(SparkplugSession session, CommandRouter router) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        session.RegisterInbound(router);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
