using System.Globalization;
using System.Text;

namespace SafeCities.Tests.Integration.Hostile;

/// <summary>A request ready to send: the operation's valid request or one of its hostile variants.</summary>
internal sealed record HostileRequest(string Name, string Method, string Url, byte[]? Body, string? ContentType, string ApiKey,
    IReadOnlyList<(string Name, string Value)> Headers)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        message.Headers.TryAddWithoutValidation("X-Api-Key", ApiKey);
        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        foreach (var (name, value) in Headers)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }
}

/// <summary>The valid request of an operation, in parts, so that each part can be made hostile on its own.</summary>
internal sealed record ValidRequest(ApiOperation Operation, string ApiKey, IReadOnlyDictionary<string, string> Path, IReadOnlyList<(string Key, string Value)> Query,
    JsonNode? Json, (string Text, string ContentType)? Raw)
{
    /// <summary>Query values here are already percent-encoded.</summary>
    public HostileRequest With(string name, IReadOnlyDictionary<string, string>? path = null, IReadOnlyList<(string Key, string Value)>? query = null,
        byte[]? body = null, string? contentType = null, bool keepBody = true, IReadOnlyList<(string, string)>? headers = null, string? apiKey = null)
    {
        var url = Operation.Path.TrimStart('/');
        foreach (var (key, value) in path ?? Path.ToDictionary(p => p.Key, p => Uri.EscapeDataString(p.Value)))
            url = url.Replace($"{{{key}}}", value, StringComparison.Ordinal);
        var q = query ?? Query.Select(p => (p.Key, Uri.EscapeDataString(p.Value))).ToList();
        if (q.Count > 0)
            url += "?" + string.Join("&", q.Select(p => $"{p.Key}={p.Value}"));
        // An image's bytes travel as base64 in the example's text (they are not UTF-8).
        var (ownBody, ownType) = Raw is { } raw ? (raw.ContentType.StartsWith("image/", StringComparison.Ordinal) ? Convert.FromBase64String(raw.Text)
                : Encoding.UTF8.GetBytes(raw.Text), raw.ContentType)
            : Json is not null ? (Encoding.UTF8.GetBytes(Json.ToJsonString()), "application/json") : ((byte[]?)null, (string?)null);
        return new HostileRequest(name, Operation.Method, url, body ?? (keepBody ? ownBody : null), body is not null ? contentType : contentType ?? ownType,
            apiKey ?? ApiKey, headers ?? []);
    }
}

/// <summary>
/// Hostile variants of a valid request: the body made unreadable, wrong or huge; every field of the body in turn given NUL, unpaired
/// surrogates, control characters, the wrong type, null, 1e309, absurd dates and coordinates, null array elements; every query and path
/// parameter given the same, plus path traversal and injection strings; odd content types, forms and headers. Each keeps the rest of the
/// valid request, so the one hostile part is what the endpoint sees.
/// </summary>
internal static class HostileVariants
{
    private const string Marker = "\"__hostile__\"";
    private const string InvalidUtf8 = "\"__invalid_utf8__\"";

    public static List<HostileRequest> For(ValidRequest valid)
    {
        var variants = new List<HostileRequest>();
        Generic(valid, variants);
        foreach (var parameter in valid.Operation.Parameters)
        {
            if (parameter.In == "path")
                PathVariants(valid, parameter, variants);
            else if (parameter.In == "query")
                QueryVariants(valid, parameter, variants);
        }
        if (valid.Json is { } json)
            BodyVariants(valid, json, variants);
        return variants;
    }

    private static void Generic(ValidRequest valid, List<HostileRequest> variants)
    {
        List<(string, string)> Query(params (string, string)[] extra) => [.. valid.Query.Select(p => (p.Key, Uri.EscapeDataString(p.Value))), .. extra];
        variants.Add(valid.With("NUL in an unknown query parameter", query: Query(("hostile", "a%00b"))));
        variants.Add(valid.With("NUL as a query parameter's name", query: Query(("%00", "1"))));
        variants.Add(valid.With("C1 control in a query parameter", query: Query(("hostile", "%C2%85"))));
        variants.Add(valid.With("line break in a query parameter", query: Query(("hostile", "a%0D%0Ab"))));
        variants.Add(valid.With("invalid UTF-8 (a surrogate) in a query parameter", query: Query(("hostile", "%ED%A0%80"))));
        variants.Add(valid.With("commonly named parameters with absurd values", query: Query(("limit", "1e309"), ("from", "0001-01-01"), ("to", "9999-12-31"),
            ("latitude", "NaN"), ("purpose", "%00"))));
        variants.Add(valid.With("300 query parameters", query: Query([.. Enumerable.Range(0, 300).Select(i => ($"p{i}", "x"))])));
        variants.Add(valid.With("a 6 KB query value", query: Query(("hostile", new string('A', 6000)))));
        variants.Add(valid.With("control character in a header", headers: [("X-Hostile", "a\u0001b")]));
        variants.Add(valid.With("DEL in a header", headers: [("X-Hostile", "a\u007fb")]));
        variants.Add(valid.With("control character in the API key", apiKey: valid.ApiKey + "\u0001"));
        variants.Add(valid.With("a browser's Accept and a NUL in the query", query: Query(("hostile", "%00")), headers: [("Accept", "text/html")]));
        variants.Add(valid.With("method override header", headers: [("X-HTTP-Method-Override", "DELETE")]));

        var json = "application/json";
        variants.Add(valid.With("malformed JSON", body: Encoding.UTF8.GetBytes("{\"a\": "), contentType: json));
        variants.Add(valid.With("not JSON", body: Encoding.UTF8.GetBytes("rounds=3&x=1"), contentType: json));
        variants.Add(valid.With("empty body", body: [], contentType: json));
        variants.Add(valid.With("JSON null", body: Encoding.UTF8.GetBytes("null"), contentType: json));
        variants.Add(valid.With("JSON array", body: Encoding.UTF8.GetBytes("[]"), contentType: json));
        variants.Add(valid.With("JSON string", body: Encoding.UTF8.GetBytes("\"text\""), contentType: json));
        variants.Add(valid.With("JSON number 1e309", body: Encoding.UTF8.GetBytes("1e309"), contentType: json));
        variants.Add(valid.With("arrays nested 5000 deep", body: Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), contentType: json));
        variants.Add(valid.With("objects nested 2000 deep",
            body: Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)), contentType: json));
        variants.Add(valid.With("a 1.5 MB string", body: Encoding.UTF8.GetBytes($"{{\"x\":\"{new string('A', 1_500_000)}\"}}"), contentType: json));
        variants.Add(valid.With("invalid UTF-8 bytes", body: [.. "{\"x\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8], contentType: json));
        variants.Add(valid.With("XML", body: Encoding.UTF8.GetBytes("<a>&lt;</a>"), contentType: "application/xml"));
        variants.Add(valid.With("form with a NUL", body: Encoding.UTF8.GetBytes("a=x%00y&b=2"), contentType: "application/x-www-form-urlencoded"));
        variants.Add(valid.With("form with 5000 fields", body: Encoding.UTF8.GetBytes(string.Join("&", Enumerable.Range(0, 5000).Select(i => $"f{i}=1"))),
            contentType: "application/x-www-form-urlencoded"));
        variants.Add(valid.With("multipart without a boundary", body: Encoding.UTF8.GetBytes("--x\r\n\r\n"), contentType: "multipart/form-data"));
        variants.Add(valid.With("multipart with a control character in a field", contentType: "multipart/form-data; boundary=b",
            body: Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\u0001y\r\n--b--\r\n")));
        if (valid.Json is null && valid.Raw is null)
            return;
        var own = valid.With("own body").Body!;
        variants.Add(valid.With("the valid body as text/plain", body: own, contentType: "text/plain"));
        variants.Add(valid.With("the valid body declared UTF-16", body: own, contentType: "application/json; charset=utf-16"));
        variants.Add(valid.With("a byte-order mark before the valid body", body: [0xEF, 0xBB, 0xBF, .. own], contentType: valid.With("x").ContentType));
        variants.Add(valid.With("the valid body cut in half", body: own[..(own.Length / 2)], contentType: valid.With("x").ContentType));
    }

    private static void PathVariants(ValidRequest valid, ApiParameter parameter, List<HostileRequest> variants)
    {
        string[] values =
        [
            "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "%00", "a%00b", "%C2%85", "%ED%A0%80", "not-a-guid", "'%20OR%20'1'%3D'1", "%3Cscript%3E",
            new string('a', 500), "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        ];
        foreach (var value in values)
        {
            var path = valid.Path.ToDictionary(p => p.Key, p => Uri.EscapeDataString(p.Value));
            path[parameter.Name] = value;
            variants.Add(valid.With($"path {parameter.Name} = {Short(value)}", path: path));
        }
    }

    private static void QueryVariants(ValidRequest valid, ApiParameter parameter, List<HostileRequest> variants)
    {
        var values = new List<string> { "a%00b", "%C2%85", "%7F", "a%0Ab", "%ED%A0%80", "'%20OR%201%3D1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", new('A', 4000), "" };
        values.AddRange((parameter.Type, parameter.Format) switch
        {
            ("integer", _) => ["2147483648", "-1", "1.5", "1e309", "NaN"],
            ("number", _) => ["1e309", "-1e309", "NaN", "-Infinity", "1e-400", "91"],
            (_, "date-time") => ["0001-01-01", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00%2B14:00", "1899-12-31", "2026-02-30", "garbage"],
            (_, "date") => ["0001-01-01", "9999-12-31", "2026-02-30"],
            ("boolean", _) => ["maybe", "1"],
            (_, "uuid") => ["not-a-guid", "00000000-0000-0000-0000-000000000000"],
            _ => [],
        });
        foreach (var value in values)
        {
            var query = valid.Query.Where(p => !string.Equals(p.Key, parameter.Name, StringComparison.OrdinalIgnoreCase))
                .Select(p => (p.Key, Uri.EscapeDataString(p.Value))).Append((parameter.Name, value)).ToList();
            variants.Add(valid.With($"query {parameter.Name} = {Short(value)}", query: query));
        }
        variants.Add(valid.With($"query {parameter.Name} twice", query: [.. valid.Query.Select(p => (p.Key, Uri.EscapeDataString(p.Value))),
            (parameter.Name, "a"), (parameter.Name, "b")]));
    }

    private static void BodyVariants(ValidRequest valid, JsonNode body, List<HostileRequest> variants)
    {
        var slots = new List<(string Path, List<object> Steps, JsonNode? Node)>();
        Slots(body, "", [], slots);
        var texts = 0;
        foreach (var (path, steps, node) in slots)
        {
            var name = steps.Count > 0 && steps[^1] is string s ? s.ToLowerInvariant() : "";
            var tokens = node switch
            {
                JsonArray array => ArrayTokens(array),
                JsonObject => ["null", "[]", "\"x\"", "{\"k\\u0000\":\"v\",\"\\ud800\":1}"],
                JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String && IsDate(value.GetValue<string>()) =>
                    ["\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"1899-12-31T23:59:59Z\"", "\"yesterday\"", "null"],
                JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String =>
                    [
                        "\"a\\u0000b\"", "\"a\\ud800b\"", "\"\\udc00\"", "\"a\\u0085b\"", "null", "12345",
                        .. texts++ < 2
                            ? (string[])["\"\\u001b[2J\\u007f\"", "{}", InvalidUtf8, "\"x'); DROP TABLE plates.hotlists; --\"", "\"<img src=x onerror=alert(1)>\"",
                                "\"../../../../etc/passwd\"", $"\"{new string('A', 20_000)}\""]
                            : [],
                    ],
                JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
                    [
                        "1e309", "-1e309", "\"NaN\"", "null", "\"1\"", "2147483648", "1.5", "-0.0",
                        .. name.Contains("latitude", StringComparison.Ordinal) || name.Contains("longitude", StringComparison.Ordinal)
                            ? (string[])["90.0000001", "-180.0000001", "1e308"]
                            : [],
                    ],
                JsonValue value when value.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => ["\"true\"", "null", "1"],
                _ => ["\"a\\u0000b\"", "1e309", "{}"],
            };
            foreach (var token in tokens)
                variants.Add(valid.With($"{(path.Length == 0 ? "body" : path)} = {Short(token)}", body: Replace(body, steps, token), contentType: "application/json"));
        }
    }

    private static string[] ArrayTokens(JsonArray array)
    {
        var element = array.Count > 0 ? array[0]?.ToJsonString() ?? "null" : "1";
        List<string> tokens = ["[null]", $"[null,{element}]", $"[{element},null]", "[]", "null", "\"x\"", "{}"];
        if (element.Length < 2000)
            tokens.Add("[" + string.Join(",", Enumerable.Repeat(element, 1500)) + "]");
        return [.. tokens];
    }

    /// <summary>Every field of the body (arrays: their first element stands for the others), with its path and steps.</summary>
    private static void Slots(JsonNode? node, string path, List<object> steps, List<(string, List<object>, JsonNode?)> slots)
    {
        if (steps.Count > 0)
            slots.Add((path, steps, node));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                    Slots(value, path.Length == 0 ? key : $"{path}.{key}", [.. steps, key], slots);
                break;
            case JsonArray { Count: > 0 } array:
                Slots(array[0], $"{path}[0]", [.. steps, 0], slots);
                break;
        }
    }

    private static byte[] Replace(JsonNode body, List<object> steps, string token)
    {
        var clone = body.DeepClone();
        JsonNode parent = clone;
        foreach (var step in steps[..^1])
            parent = step is string key ? parent[key]! : parent[(int)step]!;
        if (steps[^1] is string last)
            parent[last] = "__hostile__";
        else
            parent[(int)steps[^1]] = "__hostile__";
        var text = clone.ToJsonString();
        if (token != InvalidUtf8)
            return Encoding.UTF8.GetBytes(text.Replace(Marker, token, StringComparison.Ordinal));
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), (byte)'"', 0xC3, 0x28, 0xED, 0xA0, 0x80, (byte)'"', .. Encoding.UTF8.GetBytes(text[(at + Marker.Length)..])];
    }

    private static bool IsDate(string text) =>
        text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
        && (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) || DateOnly.TryParse(text, CultureInfo.InvariantCulture, out _));

    private static string Short(string value) => value.Length <= 40 ? value : $"{value[..20]}… ({value.Length} characters)";
}
