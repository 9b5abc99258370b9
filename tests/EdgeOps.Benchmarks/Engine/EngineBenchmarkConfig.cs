using BenchmarkDotNet.Configs;

namespace EdgeOps.Benchmarks.Engine;

/// <summary>
/// BenchmarkDotNet rebuilds the project for each job; on the shared 2-core box that takes longer than its default
/// 2 minute build timeout, so the engine benchmarks allow 10.
/// </summary>
public sealed class EngineBenchmarkConfig : ManualConfig
{
    public EngineBenchmarkConfig() => WithBuildTimeout(TimeSpan.FromMinutes(10));
}
