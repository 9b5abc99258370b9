using EdgeOps.Contract;
using NJsonSchema;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>The JSON Schemas of docs/contract/schemas, copied next to the test assembly.</summary>
public static class ContractSchemas
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "contract", "schemas");

    /// <summary>"edgeops.cmd-reply/1" → schemas/cmd-reply.json.</summary>
    public static string FileFor(string schemaId)
    {
        var name = schemaId.Split('/')[0]["edgeops.".Length..];
        return Path.Combine(Directory, name + ".json");
    }

    public static async Task<JsonSchema> LoadAsync(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"No schema {file}: docs/contract/schemas must describe every payload.", file);
        }

        return await JsonSchema.FromFileAsync(file);
    }
}
