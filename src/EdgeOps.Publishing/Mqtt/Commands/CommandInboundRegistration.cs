using Microsoft.Extensions.Hosting;

namespace EdgeOps.Publishing.Mqtt.Commands;

/// <summary>
/// Registers the <see cref="CommandRouter"/> as the publisher's inbound handler at start. Registered as a hosted service
/// before the publisher, so the router is in place before the first connection subscribes to the command topics; the
/// publisher does not depend on the router, so the handlers may depend on anything that publishes.
/// </summary>
internal sealed class CommandInboundRegistration(MqttPublisher publisher, CommandRouter router) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        publisher.RegisterInbound(router);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
