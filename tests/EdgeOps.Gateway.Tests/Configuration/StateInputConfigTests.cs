using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Cli;
using EdgeOps.Gateway.Configuration;

namespace EdgeOps.Gateway.Tests.Configuration;

/// <summary>State codes, the PackML preset, unit modes, stop reasons and status words as the line file spells them.</summary>
public sealed class StateInputConfigTests
{
    private const string Header = """
        site: plant
        area: bottling
        line: line-1
        timeZone: UTC
        shifts: [{ name: day, start: "06:00", end: "18:00" }]
        reasons:
          - { code: infeed-empty, label: Infeed empty, category: idle }
          - { code: material-jam, label: Material jam }
          - { code: cleaning, label: Cleaning, category: plannedStop }
        sources:
          simulator:
        machines:
          - id: filler
            idealCycleTime: 0.15s

        """;

    private static LineConfigResult Load(string machineBody) => LineConfigLoader.LoadText(Header + machineBody, "t.yaml");

    private static void AssertOnlyError(LineConfigResult result, string keyPath, string messagePart)
    {
        var error = Assert.Single(result.Errors);
        Assert.Equal(keyPath, error.KeyPath);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StateCodes_MappingToBuiltInRunning_IsAccepted()
    {
        var result = Load("""
                stateCodes: { 1: running, 3: infeed-empty, 5: changeover }
                signals:
                  - { name: state, role: stateCode }
            """);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal("running", result.Line!.Machines[0].StateCodes[1]);
    }

    [Fact]
    public void StateCodes_UnknownReason_IsRefusedNamingTheKey()
    {
        var result = Load("""
                stateCodes: { 1: runing, 3: infeed-empty }
                signals:
                  - { name: state, role: stateCode }
            """);

        AssertOnlyError(result, "machines[0].stateCodes.1", "unknown reason code 'runing' (did you mean 'running'?)");
    }

    [Fact]
    public void StateCodes_MappingToOffline_IsRefused()
    {
        var result = Load("""
                stateCodes: { 1: running, 0: offline }
                signals:
                  - { name: state, role: stateCode }
            """);

        AssertOnlyError(result, "machines[0].stateCodes.0", "only the engine sets");
    }

    [Fact]
    public async Task Validate_StateCodeToMissingReason_PrintsTheKeyPathAndFails()
    {
        var file = Path.Combine(Path.GetTempPath(), $"edgeops-statecodes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Header + """
                stateCodes: { 1: running, 7: tool-change }
                signals:
                  - { name: state, role: stateCode }
            """);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await new ValidateCommand().RunAsync([file], output, error, CancellationToken.None);

            Assert.Equal(1, code);
            Assert.Contains("machines[0].stateCodes.7: unknown reason code 'tool-change'", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void PackMl_PresetWithUnitModeStopReasonAndOverride_Loads()
    {
        var result = Load("""
                stateModel: packml
                stateCodes: { 5: infeed-empty }
                unitModes: { 4: cleaning, 5: production }
                faultCodes: { 101: material-jam }
                signals:
                  - { name: state, role: stateCode }
                  - { name: mode, role: unitMode }
                  - { name: stop-reason, role: stopReason }
            """);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var machine = result.Line!.Machines[0];
        Assert.Equal(StateModel.PackMl, machine.StateModel);
        Assert.Equal("cleaning", machine.UnitModes[4]);
        var codes = MachineStateModel.StateCodes(machine);
        Assert.Equal(("running", "infeed-empty", "held"), (codes[6], codes[5], codes[11]));
    }

    [Fact]
    public void PackMl_WithoutAStateCodeSignal_IsRefused()
    {
        var result = Load("""
                stateModel: packml
                signals:
                  - { name: total, role: total }
            """);

        AssertOnlyError(result, "machines[0].stateModel", "no stateCode signal");
    }

    [Fact]
    public void StateModel_Misspelt_ListsTheModels()
    {
        var result = Load("""
                stateModel: packm1
                signals:
                  - { name: state, role: stateCode }
            """);

        Assert.Contains(result.Errors, e => e.KeyPath == "machines[0].stateModel" && e.Message.Contains("expected one of: custom, packml", StringComparison.Ordinal));
    }

    [Fact]
    public void UnitModes_MappingToADownReason_IsRefused()
    {
        var result = Load("""
                unitModes: { 4: material-jam }
                signals:
                  - { name: running, role: running }
                  - { name: mode, role: unitMode }
            """);

        AssertOnlyError(result, "machines[0].unitModes.4", "a unit mode is 'production' or a plannedStop reason");
    }

    [Fact]
    public void UnitModes_WithoutAUnitModeSignal_IsRefused()
    {
        var result = Load("""
                unitModes: { 4: cleaning }
                signals:
                  - { name: running, role: running }
            """);

        AssertOnlyError(result, "machines[0].unitModes", "no unitMode signal");
    }

    [Fact]
    public void StopReason_WithoutFaultCodes_IsRefused()
    {
        var result = Load("""
                stateModel: packml
                signals:
                  - { name: state, role: stateCode }
                  - { name: why, role: stopReason }
            """);

        AssertOnlyError(result, "machines[0].signals[1].role", "names stops through 'faultCodes'");
    }

    [Fact]
    public void StatusWord_BitsInBothForms_Load()
    {
        var result = Load("""
                signals:
                  - name: status
                    role: statusWord
                    width: 16
                    bits: { 0: running, 3: { role: fault, inverted: true }, 5: starved, 6: blocked, 9: changeover }
            """);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var word = result.Line!.Machines[0].Signals[0];
        Assert.Equal(SignalRole.StatusWord, word.Role);
        Assert.Equal(
            [
                new StatusBitDefinition(0, SignalRole.Running),
                new StatusBitDefinition(3, SignalRole.Fault, Inverted: true),
                new StatusBitDefinition(5, SignalRole.Starved),
                new StatusBitDefinition(6, SignalRole.Blocked),
                new StatusBitDefinition(9, SignalRole.Changeover),
            ],
            word.Bits);
    }

    [Theory]
    [InlineData("bits: { 16: running }", "machines[0].signals[0].bits.16", "outside the 16-bit word")]
    [InlineData("width: 8\n        bits: { 9: running }", "machines[0].signals[0].bits.9", "outside the 8-bit word")]
    [InlineData("bits: { 0: runing }", "machines[0].signals[0].bits.0", "unknown bit role 'runing' (did you mean 'running'?)")]
    [InlineData("bits: { x: running }", "machines[0].signals[0].bits.x", "not a bit number")]
    [InlineData("width: 12\n        bits: { 0: running }", "machines[0].signals[0].width", "expected 8, 16 or 32")]
    [InlineData("inverted: true\n        bits: { 0: running }", "machines[0].signals[0].inverted", "invert a bit instead")]
    [InlineData("bits: { 0: running, 1: running }", "machines[0].signals[0].bits.1", "running already comes from bit 0 of 'status'")]
    public void StatusWord_BadBits_AreRefusedNamingTheKey(string body, string keyPath, string messagePart)
    {
        var result = Load($"""
                signals:
                  - name: status
                    role: statusWord
                    {body}
            """);

        AssertOnlyError(result, keyPath, messagePart);
    }

    [Fact]
    public void StatusWord_WithoutBits_IsRefused()
    {
        var result = Load("""
                signals:
                  - { name: status, role: statusWord }
            """);

        AssertOnlyError(result, "machines[0].signals[0].bits", "add 'bits:");
    }

    [Fact]
    public void StatusWord_RunningBitAndRunningSignal_IsRefused()
    {
        var result = Load("""
                signals:
                  - { name: run, role: running }
                  - { name: status, role: statusWord, bits: { 0: running, 3: fault } }
            """);

        AssertOnlyError(result, "machines[0].signals[1].bits.0", "running already comes from signal 'run'");
    }

    [Fact]
    public void BitsOnAStateCode_IsRefused()
    {
        var result = Load("""
                stateCodes: { 1: running }
                signals:
                  - { name: state, role: stateCode, bits: { 0: running } }
            """);

        AssertOnlyError(result, "machines[0].signals[0].bits", "only statusWord signals take 'bits'");
    }
}
