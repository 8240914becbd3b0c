namespace SafeCities.Tests.Integration.Hostile;

internal sealed record ApiParameter(string Name, string In, JsonNode Schema, bool Required)
{
    public string Type => OpenApi.TypeOf(Schema);
    public string? Format => Schema["format"]?.GetValue<string>();
}

/// <summary>An operation of <c>/openapi/v1.json</c> with its parameters and its body schema, <c>$ref</c>s resolved.</summary>
internal sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonNode? Body)
{
    public string Key => $"{Method} {Path}";

    public override string ToString() => Key;
}

internal static class OpenApi
{
    public static IReadOnlyList<ApiOperation> Operations(JsonNode document)
    {
        var schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                var parameters = (operation!["parameters"]?.AsArray() ?? []).Select(p => new ApiParameter(p!["name"]!.GetValue<string>(),
                    p["in"]!.GetValue<string>(), Resolve(p["schema"], schemas, 0) ?? new JsonObject(), p["required"]?.GetValue<bool>() ?? false)).ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, parameters, Resolve(body, schemas, 0)));
            }
        return operations;
    }

    /// <summary>The first type of a schema that is not "null" (<c>["null", "string"]</c> → string; <c>oneOf</c> → its first non-null branch).</summary>
    public static string TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "null",
        JsonValue type => type.GetValue<string>(),
        _ => schema?["oneOf"] is JsonArray branches ? TypeOf(branches.FirstOrDefault(b => TypeOf(b) != "null")) : "any",
    };

    /// <summary>A value of the schema: every property filled (so that every field is there to be made hostile), one element per array.</summary>
    public static JsonNode? Sample(JsonNode? schema, string name = "")
    {
        if (schema?["oneOf"] is JsonArray branches)
            schema = branches.FirstOrDefault(b => TypeOf(b) != "null");
        switch (TypeOf(schema))
        {
            case "object":
                var sample = new JsonObject();
                foreach (var (property, propertySchema) in schema!["properties"]?.AsObject() ?? [])
                    sample[property] = Sample(propertySchema, property);
                if (schema["additionalProperties"] is JsonObject values)
                    sample["key"] = Sample(values, "key");
                return sample;
            case "array":
                return new JsonArray(Sample(schema!["items"], name));
            case "string":
                return (schema!["format"]?.GetValue<string>()) switch
                {
                    "date-time" => DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
                    "date" => "1980-05-17",
                    "uuid" => Guid.NewGuid().ToString(),
                    _ => $"sample {name}".Trim(),
                };
            case "integer":
                return 1;
            case "number":
                return 1.5;
            case "boolean":
                return false;
            default:
                return null;
        }
    }

    /// <summary>RFC 7386 merge patch: objects merge, anything else replaces, null removes.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is null)
            return target?.DeepClone();
        if (patch is not JsonObject patchObject)
            return patch.DeepClone();
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
                result.Remove(key);
            else
                result[key] = Merge(result[key], value);
        }
        return result;
    }

    /// <param name="depth">How many <c>$ref</c>s deep (a schema that refers to itself stops there).</param>
    private static JsonNode? Resolve(JsonNode? schema, JsonObject schemas, int depth)
    {
        if (schema is null || depth > 10)
            return schema?.DeepClone();
        if (schema is JsonObject { } withReference && withReference["$ref"]?.GetValue<string>() is { } reference)
            return Resolve(schemas[reference.Split('/')[^1]], schemas, depth + 1);
        switch (schema)
        {
            case JsonObject obj:
                var resolved = new JsonObject();
                foreach (var (key, value) in obj)
                    resolved[key] = Resolve(value, schemas, depth);
                return resolved;
            case JsonArray array:
                return new JsonArray(array.Select(a => Resolve(a, schemas, depth)).ToArray());
            default:
                return schema.DeepClone();
        }
    }
}
