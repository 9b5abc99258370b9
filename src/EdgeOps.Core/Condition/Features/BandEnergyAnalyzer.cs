using EdgeOps.Core.Model;

namespace EdgeOps.Core.Condition.Features;

/// <summary>
/// Band energies of one window: the window minus its mean, Hann-weighted, zero-padded to the next power of two,
/// transformed, and the one-sided power summed per band. Scaled so that a band's energy is the mean square of the
/// signal content in it (a tone of amplitude A gives A²/2; √energy is the band RMS).
/// </summary>
internal sealed class BandEnergyAnalyzer
{
    private readonly Radix2Fft _fft;
    private readonly double[] _window;
    private readonly double[] _real;
    private readonly double[] _imaginary;
    private readonly int[] _firstBin;
    private readonly int[] _endBin;
    private readonly double _scale;

    public BandEnergyAnalyzer(IReadOnlyList<BandDefinition> bands, double sampleRate, int windowLength)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(windowLength, 2));
        _fft = new Radix2Fft(size);
        _real = new double[size];
        _imaginary = new double[size];
        _window = new double[windowLength];
        var sumSquares = 0.0;
        for (var n = 0; n < windowLength; n++)
        {
            _window[n] = windowLength == 1 ? 1 : 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / (windowLength - 1)));
            sumSquares += _window[n] * _window[n];
        }

        // Parseval: Σ|X|² over all bins = size·Σ(w·x)², and Σ(w·x)² ≈ Σw²·mean(x²) for content spread over the window.
        _scale = 1.0 / (size * sumSquares);
        var binWidth = sampleRate / size;
        _firstBin = new int[bands.Count];
        _endBin = new int[bands.Count];
        for (var b = 0; b < bands.Count; b++)
        {
            _firstBin[b] = Math.Clamp((int)Math.Ceiling(bands[b].LowHz / binWidth), 0, (size / 2) + 1);
            _endBin[b] = Math.Clamp((int)Math.Ceiling(bands[b].HighHz / binWidth), _firstBin[b], (size / 2) + 1);
        }
    }

    public int FftSize => _fft.Size;

    public void Compute(ReadOnlySpan<double> samples, double mean, Span<double> energies)
    {
        for (var n = 0; n < samples.Length; n++)
        {
            _real[n] = (samples[n] - mean) * _window[n];
        }

        Array.Clear(_real, samples.Length, _real.Length - samples.Length);
        Array.Clear(_imaginary);
        _fft.Forward(_real, _imaginary);
        var nyquist = _fft.Size / 2;
        for (var b = 0; b < _firstBin.Length; b++)
        {
            var sum = 0.0;
            for (var k = _firstBin[b]; k < _endBin[b]; k++)
            {
                var power = (_real[k] * _real[k]) + (_imaginary[k] * _imaginary[k]);
                sum += k == 0 || k == nyquist ? power : 2 * power; // one-sided: the mirrored bin folds in
            }

            energies[b] = sum * _scale;
        }
    }
}
