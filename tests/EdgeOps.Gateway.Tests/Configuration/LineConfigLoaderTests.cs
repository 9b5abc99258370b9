using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration;

namespace EdgeOps.Gateway.Tests.Configuration;

public sealed class LineConfigLoaderTests
{
    private const string Valid = """
        site: plant
        area: assembly
        line: line-1
        timeZone: Europe/Berlin
        shifts:
          - name: night
            start: "22:00"
            end: "06:00"
            days: [sun, Monday]
            breaks: [{ name: midnight, start: "01:30", end: "02:00" }]
        machines:
          - id: filler
            idealCycleTime: 1.5s
            microStopThreshold: 90s
            stateCodes: { 3: setup }
            reasons: [{ code: setup, label: Setup, category: changeover }]
            signals:
              - { name: counter, role: total, countMode: totalizer, totalizerBits: 16 }
              - { name: state, role: stateCode }
              - { name: door, role: plannedStop, inverted: true }
        sources:
          simulator:
        """;

    [Fact]
    public void Load_ValidText_BuildsTheLineDefinition()
    {
        var result = LineConfigLoader.LoadText(Valid, "t.yaml");

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var line = result.Line!;
        var shift = Assert.Single(line.Shifts);
        Assert.Equal([DayOfWeek.Sunday, DayOfWeek.Monday], shift.Days);
        Assert.Equal(new TimeOnly(1, 30), Assert.Single(shift.Breaks).Start);
        var machine = Assert.Single(line.Machines);
        Assert.Equal(TimeSpan.FromSeconds(1.5), machine.IdealCycleTime);
        Assert.Equal(TimeSpan.FromSeconds(90), machine.MicroStopThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), machine.StaleAfter);
        Assert.Equal("setup", machine.StateCodes[3]);
        Assert.Equal(StateCategory.Changeover, Assert.Single(machine.Reasons).Category);
        Assert.Equal(CountMode.Totalizer, machine.Signals[0].CountMode);
        Assert.Equal(16, machine.Signals[0].TotalizerBits);
        Assert.Equal(SignalRole.StateCode, machine.Signals[1].Role);
        Assert.True(machine.Signals[2].Inverted);
        Assert.NotNull(line.Sources.Simulator);
        Assert.Equal("t.yaml", line.SourceFile);
    }

    [Fact]
    public void Load_FileWithManyProblems_ReportsThemAllInFileOrder()
    {
        var yaml = Valid
            .Replace("area: assembly", "area: Assembly Hall", StringComparison.Ordinal)
            .Replace("end: \"06:00\"", "end: \"6 o'clock\"", StringComparison.Ordinal)
            .Replace("role: stateCode", "role: statecode", StringComparison.Ordinal)
            .Replace("inverted: true", "inverted: yes please", StringComparison.Ordinal)
            .Replace("simulator:", "simulator: { speed: -1 }", StringComparison.Ordinal);

        var result = LineConfigLoader.LoadText(yaml, "t.yaml");

        Assert.Null(result.Line);
        Assert.Collection(
            result.Errors,
            e => Assert.Equal(("area", 2), (e.KeyPath, e.Line)),
            e => Assert.Equal(("shifts[0].end", 8), (e.KeyPath, e.Line)),
            e => Assert.Equal(("machines[0].signals[1].role", 19), (e.KeyPath, e.Line)),
            e => Assert.Equal(("machines[0].signals[2].inverted", 20), (e.KeyPath, e.Line)),
            e => Assert.Equal(("sources.simulator.speed", 22), (e.KeyPath, e.Line)));
        Assert.Contains("did you mean 'stateCode'?", result.Errors[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_YamlSyntaxError_ReportsItsPosition()
    {
        var result = LineConfigLoader.LoadText("site: plant\narea: x\n  line: y\nmachines: []\n", "s.yaml");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("YAML syntax", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Load_UnclosedFlowList_IsReportedNotThrown()
    {
        var result = LineConfigLoader.LoadText("site: plant\nmachines: [a, b\narea: x\n", "s.yaml");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("YAML syntax", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Line);
    }

    [Theory]
    [InlineData("site: a\nsite: b\n", "YAML syntax: Duplicate key")]
    [InlineData("", "the file is empty")]
    [InlineData("just text\n", "expected a mapping")]
    [InlineData("a: 1\n---\nb: 2\n", "expected one YAML document")]
    public void Load_UnusableDocument_GivesOneClearError(string yaml, string message)
    {
        var result = LineConfigLoader.LoadText(yaml, "u.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Null(result.Line);
    }

    [Fact]
    public void Load_MissingFile_SaysSoWithTheFileName()
    {
        var result = LineConfigLoader.Load("/nonexistent/line.yaml");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("/nonexistent/line.yaml: cannot read the file", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SignalWithoutSourceAndNoSimulator_IsAnError()
    {
        var yaml = Valid.Replace("sources:\n  simulator:", string.Empty, StringComparison.Ordinal);

        var result = LineConfigLoader.LoadText(yaml, "t.yaml");

        Assert.Contains(result.Errors, e => e.KeyPath == "machines[0].signals[0]" && e.Message.Contains("no source", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TwoSourceKindsOnOneSignal_IsAnError()
    {
        var yaml = Valid.Replace("{ name: door, role: plannedStop, inverted: true }", "{ name: door, role: plannedStop, source: { simulator: {}, simulator2: {} } }", StringComparison.Ordinal);

        var result = LineConfigLoader.LoadText(yaml, "t.yaml");

        Assert.Contains(result.Errors, e => e.KeyPath == "machines[0].signals[2].source.simulator2");
    }

    [Theory]
    [InlineData("5ms", 0.005)]
    [InlineData("2.5s", 2.5)]
    [InlineData("120s", 120)]
    [InlineData("15m", 900)]
    [InlineData("8h", 28800)]
    [InlineData("1h30m", 5400)]
    public void Durations_ParseWithUnits(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("2 s")]
    [InlineData("s")]
    [InlineData("2d")]
    [InlineData("-2s")]
    [InlineData("")]
    public void Durations_RefuseMissingOrUnknownUnits(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }
}
