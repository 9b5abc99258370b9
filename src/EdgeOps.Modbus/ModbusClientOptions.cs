namespace EdgeOps.Modbus;

/// <summary>Settings of one <see cref="ModbusClient"/> (one TCP connection to one device or gateway).</summary>
public sealed class ModbusClientOptions
{
    /// <summary>Host name or IP address of the device.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 502 is the registered Modbus port.</summary>
    public int Port { get; set; } = 502;

    /// <summary>How long one request may wait for its response before it fails with <see cref="ModbusTimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a TCP connect may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Requests sent before their responses arrive. 1 (the default) suits every device; many PLCs and gateways
    /// answer several in order of arrival, which hides the round trip when a device needs several reads.
    /// </summary>
    public int MaxInFlight { get; set; } = 1;

    /// <summary>The wait after the first failed connect; it doubles with each further failure up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between connect attempts.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The errors in these options, each naming the setting and the value found; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("Host: must name the device (host name or IP address)");
        }

        if (Port is < 1 or > 65535)
        {
            errors.Add($"Port: {Port} is not a TCP port (1..65535)");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"RequestTimeout: {RequestTimeout} must be positive");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"ConnectTimeout: {ConnectTimeout} must be positive");
        }

        if (MaxInFlight is < 1 or > 256)
        {
            errors.Add($"MaxInFlight: {MaxInFlight} must be 1..256");
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            errors.Add($"ReconnectMinDelay/ReconnectMaxDelay: {ReconnectMinDelay}/{ReconnectMaxDelay} must be positive with min ≤ max");
        }

        return errors;
    }
}
