using System.Numerics;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Tests.Condition;

public sealed class VelocityTests
{
    private const double Rate = 1600;

    [Theory]
    [InlineData(25.0)]
    [InlineData(50.0)]
    [InlineData(100.0)]
    [InlineData(400.0)]
    public void AccelerationSine_IntegratesToVelocityRmsInMillimetresPerSecond(double frequency)
    {
        // v = a / (2πf): 4 mm/s RMS of velocity at f needs this acceleration amplitude in m/s².
        const double velocityRms = 4.0;
        var accelerationAmplitude = velocityRms * Math.Sqrt(2) * 2 * Math.PI * frequency / 1000;
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = Rate, Input = ConditionInput.Acceleration });

        // 9.81 m/s² of gravity on a DC-coupled sensor must not leak into velocity.
        Waves.OneWindow(extractor, Rate, i => 9.81 + Waves.Sine(i, Rate, accelerationAmplitude, frequency));
        var f = Waves.OneWindow(extractor, Rate, i => 9.81 + Waves.Sine(i, Rate, accelerationAmplitude, frequency), 1600);

        // Closed form of the chain: two Butterworth stages at 0.802 × 10 Hz, |H|² = 1 / (1 + (fc/f)⁴) together,
        // and the Al-Alaoui integrator T/8·(7 + z⁻¹)/(1 − z⁻¹) against the ideal 1/(jω).
        var stage = 10 * Math.Pow(Math.Sqrt(2) - 1, 0.25);
        var highPass = 1 / (1 + Math.Pow(stage / frequency, 4));
        var wt = 2 * Math.PI * frequency / Rate;
        var z1 = Complex.Exp(new Complex(0, -wt));
        var integrator = ((7 + z1) / 8 / (1 - z1)).Magnitude * wt;
        Assert.Equal(velocityRms * highPass * integrator, f.VelocityRms!.Value, velocityRms * 0.005);
        Assert.InRange(f.VelocityRms!.Value, velocityRms * 0.98, velocityRms * 1.01); // within 2 % of the ideal up to fs/4
    }

    [Fact]
    public void AccelerationAtTheBandEdge_IsThreeDecibelsDown()
    {
        var amplitude = Math.Sqrt(2) * 2 * Math.PI * 10 / 1000; // 1 mm/s RMS at 10 Hz
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = Rate, Input = ConditionInput.Acceleration });

        Waves.OneWindow(extractor, Rate, i => Waves.Sine(i, Rate, amplitude, 10));
        var f = Waves.OneWindow(extractor, Rate, i => Waves.Sine(i, Rate, amplitude, 10), 1600);

        Assert.Equal(1 / Math.Sqrt(2), f.VelocityRms!.Value, 0.01);
    }

    [Fact]
    public void VelocitySensor_IsHighPassedAndUsedAsIs()
    {
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = Rate, Input = ConditionInput.Velocity, IsoClass = IsoMachineClass.I });

        Waves.OneWindow(extractor, Rate, i => 2 + Waves.Sine(i, Rate, 3, 60));
        var f = Waves.OneWindow(extractor, Rate, i => 2 + Waves.Sine(i, Rate, 3, 60), 1600);

        Assert.Equal(3 / Math.Sqrt(2), f.VelocityRms!.Value, 0.02);
        Assert.Equal(IsoZone.C, f.Zone); // 2.12 mm/s: class I, between 1.8 and 4.5
    }

    [Fact]
    public void SlowlySampledVelocity_WithTheFilterOff_UsesTheWindowsStandardDeviation()
    {
        // 20 S/s (the line simulator's analog rate): no 10 Hz high-pass is possible, so highPassHz: 0.
        var extractor = new WindowFeatureExtractor(new ConditionDefinition
        {
            SampleRate = 20,
            Window = TimeSpan.FromSeconds(10),
            Input = ConditionInput.Velocity,
            HighPassHz = 0,
            IsoClass = IsoMachineClass.II,
        });

        var f = Waves.OneWindow(extractor, 20, i => 0.3 + Waves.Sine(i, 20, 4.0, 3.1));

        Assert.Equal(4.0 / Math.Sqrt(2), f.VelocityRms!.Value, 0.02);
        Assert.Equal(IsoZone.C, f.Zone);
    }

    [Fact]
    public void VelocityRmsTransmitter_IsClassifiedByItsWindowMean()
    {
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = 1, Window = TimeSpan.FromSeconds(10), Input = ConditionInput.VelocityRms, IsoClass = IsoMachineClass.III });

        var f = Waves.OneWindow(extractor, 1, i => i % 2 == 0 ? 4.4 : 4.8);

        Assert.Equal(4.6, f.VelocityRms!.Value, 1e-9);
        Assert.Equal(IsoZone.C, f.Zone);
    }

    [Theory]
    [InlineData(ConditionInput.Acceleration, 0.0)]
    [InlineData(ConditionInput.Acceleration, 800.0)]
    [InlineData(ConditionInput.Velocity, -1.0)]
    public void HighPass_OutsideTheSampleRatesRange_FailsNamingTheKey(ConditionInput input, double highPassHz)
    {
        var error = Assert.Throws<ArgumentException>(() => new WindowFeatureExtractor(new ConditionDefinition { SampleRate = Rate, Input = input, HighPassHz = highPassHz }));

        Assert.Contains("condition.highPassHz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenericSignal_HasNoVelocityAndNoZone()
    {
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = 10, IsoClass = IsoMachineClass.II });

        var f = Waves.OneWindow(extractor, 10, i => 20 + (i % 3));

        Assert.Null(f.VelocityRms);
        Assert.Null(f.Zone);
    }
}
