using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Tests.Condition;

public sealed class WindowFeatureTests
{
    private const double Rate = 1600;

    [Theory]
    [InlineData(1.0, 50.0)]
    [InlineData(3.5, 123.0)]
    [InlineData(0.02, 390.0)]
    public void Sine_OfAmplitudeA_HasRmsAOverRoot2AndCrestRoot2(double amplitude, double frequency)
    {
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = Rate });

        var f = Waves.OneWindow(extractor, Rate, i => Waves.Sine(i, Rate, amplitude, frequency));

        Assert.Equal(1600, f.SampleCount);
        Assert.Equal(amplitude / Math.Sqrt(2), f.Rms, amplitude * 1e-3);
        Assert.Equal(Math.Sqrt(2), f.CrestFactor, 1e-2);
        Assert.Equal(amplitude, f.Peak, amplitude * 2e-3);
        Assert.Equal(2 * amplitude, f.PeakToPeak, amplitude * 4e-3);
        Assert.Equal(0, f.Mean, amplitude * 1e-6);
        Assert.Equal(amplitude / Math.Sqrt(2), f.StdDev, amplitude * 1e-3);
        Assert.Equal(1.5, f.Kurtosis, 1e-2); // a sine's fourth standardized moment is 3/2
    }

    [Fact]
    public void SquareWave_HasCrestFactorOneAndRmsEqualToAmplitude()
    {
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = Rate });

        var f = Waves.OneWindow(extractor, Rate, i => i / 8 % 2 == 0 ? 2.0 : -2.0);

        Assert.Equal(2.0, f.Rms, 1e-12);
        Assert.Equal(1.0, f.CrestFactor, 1e-12);
        Assert.Equal(4.0, f.PeakToPeak, 1e-12);
        Assert.Equal(1.0, f.Kurtosis, 1e-12);
    }

    [Fact]
    public void GaussianNoise_OverALongWindow_HasKurtosisThreeAndItsSigma()
    {
        // 200 000 samples: the standard error of the sample kurtosis is √(24/n) ≈ 0.011, so ±0.06 is over 5 σ.
        const double sigma = 0.7;
        var random = new Random(7);
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = 1000, Window = TimeSpan.FromSeconds(200) });

        var f = Waves.OneWindow(extractor, 1000, _ => 5 + (sigma * Waves.Gaussian(random)));

        Assert.Equal(3.0, f.Kurtosis, 0.06);
        Assert.Equal(sigma, f.StdDev, 0.01);
        Assert.Equal(5.0, f.Mean, 0.01);
        Assert.Equal(Math.Sqrt(25 + (sigma * sigma)), f.Rms, 0.01);
    }

    [Fact]
    public void SmallVibration_OnALargeOffset_KeepsItsStatistics()
    {
        // One-pass variance would cancel to noise here; the two-pass moments must not.
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = Rate });

        var f = Waves.OneWindow(extractor, Rate, i => 1e6 + Waves.Sine(i, Rate, 0.001, 50));

        Assert.Equal(0.001 / Math.Sqrt(2), f.StdDev, 1e-6);
        Assert.Equal(1.5, f.Kurtosis, 1e-2);
    }

    [Fact]
    public void Windows_FollowEachOther_WithTheirSampleTimes()
    {
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = 100, Window = TimeSpan.FromSeconds(0.5) });
        var windows = new List<ConditionFeatures>();
        for (var i = 0; i < 200; i++)
        {
            if (extractor.Add(i, Waves.At(i, 100)) is { } f)
            {
                windows.Add(f);
            }
        }

        Assert.Equal(4, windows.Count);
        Assert.Equal(Waves.At(50, 100), windows[1].WindowStart);
        Assert.Equal(Waves.At(99, 100), windows[1].WindowEnd);
        Assert.Equal(74.5, windows[1].Mean, 1e-9);
    }

    [Fact]
    public void MachineStoppedForOneSample_MarksTheWindowNotRunning()
    {
        var extractor = new WindowFeatureExtractor(new ConditionDefinition { SampleRate = 10 });
        ConditionFeatures? first = null;
        ConditionFeatures? second = null;
        for (var i = 0; i < 20; i++)
        {
            var f = extractor.Add(1, Waves.At(i, 10), machineRunning: i != 4);
            if (i == 9)
            {
                first = f;
            }
            else if (i == 19)
            {
                second = f;
            }
        }

        Assert.False(first!.Running);
        Assert.True(second!.Running);
    }

    [Fact]
    public void AddingSamples_WithinAWindow_AllocatesNothing()
    {
        var extractor = new WindowFeatureExtractor(new ConditionDefinition
        {
            SampleRate = Rate,
            Window = TimeSpan.FromSeconds(10),
            Input = ConditionInput.Acceleration,
            IsoClass = IsoMachineClass.II,
            Bands = [new BandDefinition { Name = "1x", LowHz = 20, HighHz = 30 }],
        });
        Waves.OneWindow(extractor, Rate, i => Waves.Sine(i, Rate, 1, 25)); // warm-up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 15000; i++)
        {
            Assert.Null(extractor.Add(Waves.Sine(i, Rate, 1, 25), Waves.T0));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Config_WithAWindowOfOneSample_FailsNamingTheKeys()
    {
        var error = Assert.Throws<ArgumentException>(() => new WindowFeatureExtractor(new ConditionDefinition { SampleRate = 1, Window = TimeSpan.FromSeconds(1) }));

        Assert.Contains("condition.window", error.Message, StringComparison.Ordinal);
        Assert.Contains("sampleRate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_WithABandAboveNyquist_FailsNamingTheBand()
    {
        var error = Assert.Throws<ArgumentException>(() => new WindowFeatureExtractor(new ConditionDefinition
        {
            SampleRate = 1000,
            Bands = [new BandDefinition { Name = "ok", LowHz = 10, HighHz = 20 }, new BandDefinition { Name = "gear", LowHz = 400, HighHz = 600 }],
        }));

        Assert.Contains("condition.bands[1] 'gear'", error.Message, StringComparison.Ordinal);
    }
}
