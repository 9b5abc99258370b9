namespace EdgeOps.Historian.Mqtt;

/// <summary>
/// The broker sent something that is not valid MQTT 5, or a packet this subscriber never asks for. The connection is
/// dropped and made again; messages not yet acknowledged are redelivered by the broker.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    public MqttProtocolException()
    {
    }

    public MqttProtocolException(string message)
        : base(message)
    {
    }

    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The broker answered CONNECT, SUBSCRIBE or the session with a failure reason code (MQTT 5 §2.4).</summary>
public sealed class MqttRefusedException : Exception
{
    public MqttRefusedException()
    {
    }

    public MqttRefusedException(string message)
        : base(message)
    {
    }

    public MqttRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MqttRefusedException(string message, byte reasonCode)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The MQTT 5 reason code, e.g. 0x86 bad user name or password.</summary>
    public byte ReasonCode { get; }
}
