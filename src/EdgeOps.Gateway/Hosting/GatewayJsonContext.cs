using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Checkpoints;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Kpi;
using EdgeOps.Gateway.Cli;
using EdgeOps.Gateway.Condition;
using EdgeOps.Gateway.Web;

namespace EdgeOps.Gateway.Hosting;

/// <summary>
/// Source-generated JSON for everything the gateway itself serializes: the web API's requests and responses, the
/// engine and condition checkpoints, the replay output and the CLI's command bodies. The published build is Native AOT
/// with reflection-based JSON switched off, so a type that is not listed here fails at run time with
/// "JsonTypeInfo metadata for type '…' was not provided"; <see cref="GatewayJson"/>'s options resolve from this context
/// only, so the tests fail the same way (docs/architecture.md, "A type the gateway serializes").
/// MQTT payloads are not here: they are the contract's, in <c>EdgeOps.Contract.Payloads.PayloadJsonContext</c>.
/// </summary>
/// <remarks>
/// Web defaults (camelCase, case-insensitive reading, numbers in strings accepted): what the reflection serializer
/// used before, so checkpoints written by an earlier version still load. Enums are numbers here; the API's options
/// add <see cref="GatewayJson.EnumConverters"/> for names.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
// Web API (GET /api/…, POST /api/machines/{id}/reason, the SSE stream).
[JsonSerializable(typeof(LineSnapshot))]
[JsonSerializable(typeof(IReadOnlyList<ShiftRecord>))]
[JsonSerializable(typeof(IReadOnlyList<object>))]
[JsonSerializable(typeof(IReadOnlyList<MachineConditionView>))]
[JsonSerializable(typeof(MachineConditionView))]
[JsonSerializable(typeof(MachineHistoryView))]
[JsonSerializable(typeof(IReadOnlyList<ReasonView>))]
[JsonSerializable(typeof(StopsView))]
[JsonSerializable(typeof(ReasonAssignedView))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ReasonRequest))]
// /api/events serializes each event as object, that is by its runtime type: every concrete EngineEvent is listed
// (GatewayJsonContextTests fails when one is missing).
[JsonSerializable(typeof(CounterAnomalyEvent))]
[JsonSerializable(typeof(InvalidStateInputEvent))]
[JsonSerializable(typeof(LateDataDroppedEvent))]
[JsonSerializable(typeof(ReasonAssignedEvent))]
[JsonSerializable(typeof(ShiftClosedEvent))]
[JsonSerializable(typeof(ShiftRevisedEvent))]
[JsonSerializable(typeof(StateChangedEvent))]
[JsonSerializable(typeof(StopEndedEvent))]
[JsonSerializable(typeof(UnmappedStateCodeEvent))]
// Checkpoints (the SQLite checkpoint store). Two types are called MachineCheckpoint: the condition one gets its own name.
[JsonSerializable(typeof(EngineCheckpoint))]
[JsonSerializable(typeof(ConditionCheckpoint))]
[JsonSerializable(typeof(Condition.MachineCheckpoint), TypeInfoPropertyName = "ConditionMachineCheckpoint")]
[JsonSerializable(typeof(IReadOnlyList<Condition.MachineCheckpoint>), TypeInfoPropertyName = "IReadOnlyListConditionMachineCheckpoint")]
// CLI: `edgeops replay`'s output, `edgeops maintenance reset`'s command body.
[JsonSerializable(typeof(ReplayCommand.ReplayOutput))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
