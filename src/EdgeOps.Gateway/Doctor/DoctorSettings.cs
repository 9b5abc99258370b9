namespace EdgeOps.Gateway.Doctor;

/// <summary>
/// What <c>edgeops doctor</c> checks and where it looks. Every path and the clock can be replaced, so a test builds a
/// scratch device (a fake /dev, its own passwd and group files, a clock before the build date).
/// </summary>
internal sealed record DoctorSettings
{
    /// <summary>The user the service runs as (the unit's <c>User=</c>).</summary>
    public string ServiceUser { get; init; } = "edgeops";
    /// <summary>Where the device nodes are; GPIO chips and I2C buses are looked up here.</summary>
    public string DevDirectory { get; init; } = "/dev";
    /// <summary>Where <c>passwd</c> and <c>group</c> are read from.</summary>
    public string EtcDirectory { get; init; } = "/etc";
    /// <summary>The service's data directory (outbox, checkpoints).</summary>
    public string DataDirectory { get; init; } = "/var/lib/edgeops";
    /// <summary>GPIO chip names to check (gpiochip0...); empty: every gpiochip* found.</summary>
    public IReadOnlyList<string> GpioChips { get; init; } = [];
    /// <summary>I2C bus numbers to check; empty: every i2c-* found.</summary>
    public IReadOnlyList<int> I2cBuses { get; init; } = [];
    /// <summary>I2C sensors that must answer (bus, 7-bit address).</summary>
    public IReadOnlyList<I2cSensorAddress> Sensors { get; init; } = [];
    /// <summary>MQTT brokers (host, port, optional credentials).</summary>
    public IReadOnlyList<BrokerEndpoint> Brokers { get; init; } = [];
    /// <summary>OPC UA endpoints, each with the security its line file (or the command line) asks for.</summary>
    public IReadOnlyList<DoctorOpcUaEndpoint> OpcUaEndpoints { get; init; } = [];
    /// <summary>Below this the outbox cannot ride out an outage: fail. Below twice this: warn.</summary>
    public long MinFreeBytes { get; init; } = 256L * 1024 * 1024;
    /// <summary>The clock to check.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>When this binary was built: a clock before it is certainly wrong.</summary>
    public DateTimeOffset BuildDate { get; init; } = BuildInfo.BuildDate;
    /// <summary>Whether the kernel says the clock is NTP-synchronised; null when that cannot be told.</summary>
    public Func<bool?> ClockSynchronized { get; init; } = KernelClock.IsSynchronized;
    /// <summary>Time allowed for each network connection.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>An I2C device that must answer: bus number and 7-bit address.</summary>
internal sealed record I2cSensorAddress(int Bus, int Address);

/// <summary>An MQTT broker the gateway publishes to.</summary>
internal sealed record BrokerEndpoint(string Host, int Port, string? UserName = null, string? Password = null);

/// <summary>
/// An OPC UA server to check, with what the gateway would ask of it: from a line file's <c>sources.opcua.endpoints</c>
/// entry (<see cref="Name"/> set) or from <c>--opcua</c> with the <c>--opcua-*</c> options.
/// </summary>
/// <param name="Url">opc.tcp://host:port/path.</param>
/// <param name="Name">The endpoint's name in the line file; null for one given on the command line.</param>
/// <param name="SecurityMode">None, Sign or SignAndEncrypt; null: the most secure offered.</param>
/// <param name="SecurityPolicy">The security policy; null: the strongest offered in the mode.</param>
/// <param name="CheckHostName">Whether the server certificate must name the host dialled (<c>checkServerHostName</c>).</param>
/// <param name="PinnedThumbprint">The line file's <c>serverThumbprint</c>: accept exactly that certificate.</param>
internal sealed record DoctorOpcUaEndpoint(Uri Url, string? Name = null, string? SecurityMode = null, string? SecurityPolicy = null,
    bool CheckHostName = true, string? PinnedThumbprint = null)
{
    /// <summary>How results name it: the line file's name beside the URL, when there is one.</summary>
    public string Subject => Name is null ? Url.OriginalString : $"{Name} ({Url.OriginalString})";
}
