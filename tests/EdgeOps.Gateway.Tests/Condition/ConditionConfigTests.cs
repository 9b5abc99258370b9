using EdgeOps.Gateway.Configuration;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Condition;

/// <summary>Condition sections the loader refuses with a message a plant engineer can act on.</summary>
public sealed class ConditionConfigTests
{
    [Fact]
    public void VelocityAt20SamplesPerSecond_WithTheDefaultHighPass_IsRefusedNamingTheDefaultAndTheWayOut()
    {
        // The simulator's 20 S/s waveform with highPassHz left out: the 10 Hz default is at the Nyquist limit.
        var yaml = File.ReadAllText(RepoPaths.File("tests", "EdgeOps.Gateway.Tests", "Configuration", "broken", "condition-highpass-at-nyquist.yaml"))
            .Replace("          highPassHz: 10\n", string.Empty, StringComparison.Ordinal);

        var result = LineConfigLoader.LoadText(yaml, "t.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("machines[0].signals[3].condition.highPassHz", error.KeyPath);
        Assert.Contains("highPassHz is not set and defaults to 10 Hz; set highPassHz: 0 to turn the filter off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheConditionTestLine_Loads()
    {
        var result = LineConfigLoader.Load(RepoPaths.File("tests", "EdgeOps.Gateway.Tests", "Condition", "condition-line.yaml"));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var vibration = result.Line!.Machines[0].Signals.Single(s => s.Name == "vibration").Condition!;
        // 60 samples per window at the simulator's 1/6 Hz (speed 120).
        Assert.Equal(60, (int)Math.Round(vibration.Window.TotalSeconds * vibration.SampleRate));
    }
}
