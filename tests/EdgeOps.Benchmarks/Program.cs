using BenchmarkDotNet.Running;

// Load harnesses that drive external servers or measure idle CPU run outside BenchmarkDotNet.
if (args is ["gpio-idle", ..])
{
    return EdgeOps.Benchmarks.Gpio.GpioIdleProbe.Run(args[1..]);
}

if (args is ["opcua-ingest", ..])
{
    return await EdgeOps.Benchmarks.OpcUa.OpcUaIngestHarness.RunAsync(args[1..]);
}

if (args is ["modbus-poll", ..])
{
    return await EdgeOps.Benchmarks.Modbus.ModbusPollHarness.RunAsync(args[1..]);
}

if (args is ["sparkplug-ddata", ..])
{
    return await EdgeOps.Benchmarks.Sparkplug.SparkplugDdataHarness.RunAsync(args[1..]);
}

if (args is ["mqtt-outbox", ..])
{
    return await EdgeOps.Benchmarks.Mqtt.OutboxThroughputHarness.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
