using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Tests.Condition;

public sealed class FftTests
{
    [Fact]
    public void Fft_MatchesADirectDft()
    {
        const int n = 64;
        var random = new Random(3);
        var re = new double[n];
        var im = new double[n];
        for (var i = 0; i < n; i++)
        {
            re[i] = random.NextDouble() - 0.5;
            im[i] = random.NextDouble() - 0.5;
        }

        var expectedRe = new double[n];
        var expectedIm = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var t = 0; t < n; t++)
            {
                var angle = -2 * Math.PI * k * t / n;
                expectedRe[k] += (re[t] * Math.Cos(angle)) - (im[t] * Math.Sin(angle));
                expectedIm[k] += (re[t] * Math.Sin(angle)) + (im[t] * Math.Cos(angle));
            }
        }

        new Radix2Fft(n).Forward(re, im);

        for (var k = 0; k < n; k++)
        {
            Assert.Equal(expectedRe[k], re[k], 1e-9);
            Assert.Equal(expectedIm[k], im[k], 1e-9);
        }
    }

    [Fact]
    public void Fft_OfANonPowerOfTwoSize_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Radix2Fft(1600));

    [Theory]
    [InlineData(37.0, "low")]
    [InlineData(120.0, "mid")]
    [InlineData(611.3, "high")]
    public void BandEnergy_OfAPureTone_LandsInItsBandAsMeanSquare(double frequency, string band)
    {
        const double rate = 1600;
        const double amplitude = 2.0;
        var extractor = new WindowFeatureExtractor(new ConditionDefinition
        {
            SampleRate = rate,
            Bands =
            [
                new BandDefinition { Name = "low", LowHz = 10, HighHz = 60 },
                new BandDefinition { Name = "mid", LowHz = 60, HighHz = 300 },
                new BandDefinition { Name = "high", LowHz = 300, HighHz = 800 },
            ],
        });

        var f = Waves.OneWindow(extractor, rate, i => 0.5 + Waves.Sine(i, rate, amplitude, frequency, 1.1));

        Assert.Equal(2048, extractor.FftSize);
        foreach (var energy in f.Bands)
        {
            var expected = energy.Name == band ? amplitude * amplitude / 2 : 0;
            Assert.Equal(expected, energy.Energy, 0.03 * amplitude * amplitude / 2);
        }
    }
}
