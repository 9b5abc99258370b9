namespace EdgeOps.OpcUa.Transport;

/// <summary>What both sides agreed in HEL/ACK (Part 6 §7.1.2): every chunk and message is checked against it.</summary>
internal sealed record TransportLimits(int SendChunkSize, int ReceiveChunkSize, int MaxSendMessageSize, int MaxReceiveMessageSize,
    int MaxSendChunkCount, int MaxReceiveChunkCount);
