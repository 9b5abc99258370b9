using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Publishing.Mqtt.Engine;

namespace EdgeOps.Gateway.Engine;

/// <summary>Hands the engine's snapshots and events to the MQTT bridge (which only enqueues to the durable outbox).</summary>
internal sealed class MqttSink(MqttEngineBridge bridge, LineDefinition line) : IEngineSink
{
    public void OnEvent(EngineEvent engineEvent) => bridge.OnEvent(engineEvent, line.Site, line.Area, line.Line);

    public void OnSnapshot(LineSnapshot snapshot) => bridge.OnSnapshot(snapshot);
}
