using EdgeOps.Gateway.Configuration;
using EdgeOps.TestSupport;
using NJsonSchema;

namespace EdgeOps.Gateway.Tests.Configuration;

public sealed class ShippedConfigTests
{
    public static TheoryData<string> ShippedLines()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.File("firmware-config", "lines"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void LinesFolder_ShipsAtLeastTheDemoLine()
    {
        Assert.Contains(Path.Combine(RepoPaths.File("firmware-config", "lines"), "demo-line.yaml"), Directory.GetFiles(RepoPaths.File("firmware-config", "lines"), "*.yaml"));
    }

    [Theory]
    [MemberData(nameof(ShippedLines))]
    public void ShippedLine_LoadsWithoutErrors(string file)
    {
        var result = LineConfigLoader.Load(Path.Combine(RepoPaths.File("firmware-config", "lines"), file));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.NotEmpty(result.Line!.Machines);
    }

    [Theory]
    [MemberData(nameof(ShippedLines))]
    public async Task ShippedLine_ValidatesAgainstTheJsonSchema(string file)
    {
        var schema = await JsonSchema.FromFileAsync(RepoPaths.File("firmware-config", "schema", "line.schema.json"));
        var json = YamlToJson.Convert(await File.ReadAllTextAsync(Path.Combine(RepoPaths.File("firmware-config", "lines"), file)));

        var errors = schema.Validate(json!.ToJsonString());

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [MemberData(nameof(ShippedLines))]
    public void ShippedLine_PointsEditorsAtTheSchema(string file)
    {
        var firstLine = File.ReadLines(Path.Combine(RepoPaths.File("firmware-config", "lines"), file)).First();

        Assert.Equal("# yaml-language-server: $schema=../schema/line.schema.json", firstLine);
    }

    [Fact]
    public async Task Schema_RejectsAnUnknownRole_SoEditorsFlagItToo()
    {
        var schema = await JsonSchema.FromFileAsync(RepoPaths.File("firmware-config", "schema", "line.schema.json"));
        var yaml = (await File.ReadAllTextAsync(Path.Combine(RepoPaths.File("firmware-config", "lines"), "demo-line.yaml")))
            .Replace("role: total", "role: cnt", StringComparison.Ordinal);

        var errors = schema.Validate(YamlToJson.Convert(yaml)!.ToJsonString());

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void DemoLine_HasThreeMachinesInFlowOrder_DrivenBySimulator()
    {
        var line = LineConfigLoader.Load(Path.Combine(RepoPaths.File("firmware-config", "lines"), "demo-line.yaml")).Line!;

        Assert.Equal(["press", "welder", "packer"], line.Machines.Select(m => m.Id));
        Assert.Equal(TimeSpan.FromSeconds(2.4), line.Machines[1].IdealCycleTime);
        Assert.Equal("Europe/Berlin", line.TimeZone);
        Assert.Equal(3, line.Shifts.Count);
        Assert.True(line.Shifts.Single(s => s.Name == "night").End < line.Shifts.Single(s => s.Name == "night").Start);
        Assert.Equal(42, line.Sources.Simulator!.Seed);
        Assert.Equal("press", line.Sources.Simulator.DegradingMachine);
        Assert.Equal("material-jam", line.Machines[0].FaultCodes[101]);
        var vibration = line.Machines[0].Signals.Single(s => s.Name == "vibration");
        Assert.Equal(20, vibration.Condition!.SampleRate);
        Assert.Equal(Core.Model.ConditionInput.Velocity, vibration.Condition.Input);
        Assert.Equal(Core.Model.IsoMachineClass.II, vibration.Condition.IsoClass);
        Assert.Equal(["anomaly", "zone-c", "zone-d"], vibration.Condition.Alarms.Select(a => a.Name));
        Assert.Equal(["die-change", "lubrication"], line.Machines[0].Maintenance.Select(m => m.Item));
    }
}
