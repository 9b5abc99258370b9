using EdgeOps.Core.Model;

namespace EdgeOps.Sources.Gpio;

/// <summary>One configured GPIO input: the signal it feeds and how its pin is read.</summary>
/// <param name="Handle">Signal handle in the line's catalog.</param>
/// <param name="Key">"machine/signal", for logs and the CLI.</param>
/// <param name="Binding">Pin, edge, debounce, bias, polarity.</param>
/// <param name="IsPulse">True for pulse counters (count roles), false for levels (state roles).</param>
public sealed record GpioInputSpec(int Handle, string Key, GpioBinding Binding, bool IsPulse);
