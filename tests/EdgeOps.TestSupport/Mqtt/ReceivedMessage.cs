using System.Text.Json;

namespace EdgeOps.TestSupport.Mqtt;

public sealed record ReceivedMessage(string Topic, byte[] Payload, bool Retain)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Payload);

    public JsonElement Json => JsonDocument.Parse(Payload).RootElement.Clone();

    public long Seq => Json.GetProperty("seq").GetInt64();
}
