using System.Text.Json.Serialization;

namespace EdgeOps.Ingest;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeadLetterFile.Entry))]
internal sealed partial class DeadLetterJson : JsonSerializerContext;
