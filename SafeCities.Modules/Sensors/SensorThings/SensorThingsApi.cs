using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Sensors.Environment;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Sensors.SensorThings;

/// <summary>
/// A read-only OGC SensorThings API 1.1 over the environmental sensors (ADR 0036), so the city's other tools read them without custom code.
/// The mapping: each environmental sensor is a Thing, its Location and its Sensor (same id: the device id); each quantity it has reported is a
/// Datastream (id <c>{deviceId}.{quantity}</c>) of an ObservedProperty (id: the quantity code), in the quantity's UCUM unit; each stored
/// reading is an Observation (phenomenonTime: when measured; resultTime: when stored). Entity sets, single entities by id (quoted or not),
/// one navigation step, and the query options of <see cref="SensorThingsQuery"/>.
/// </summary>
internal static partial class SensorThingsApi
{
    public const string Root = "/sensorthings/v1.1";
    private const string Measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";
    private static readonly string[] EntitySets = ["Things", "Locations", "Datastreams", "Sensors", "ObservedProperties", "Observations"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Root, (HttpRequest request) => Results.Json(new JsonObject
        {
            ["value"] = new JsonArray([.. EntitySets.Select(s => (JsonNode)new JsonObject { ["name"] = s, ["url"] = $"{Base(request)}/{s}" })]),
            ["serverSettings"] = new JsonObject
            {
                ["conformance"] = new JsonArray("http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
                    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
                    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data"),
            },
        })).RequireAuthorization(Policies.CommandStaff).WithTags("SensorThings")
            .WithSummary("OGC SensorThings API 1.1 (read-only): the entity sets and the conformance classes served.");
        app.MapGet(Root + "/{**path}", HandleAsync).RequireAuthorization(Policies.CommandStaff).WithTags("SensorThings")
            .WithSummary("SensorThings entities: Things, Locations, Sensors, ObservedProperties, Datastreams, Observations; (id), one navigation "
                         + "step (e.g. Datastreams(id)/Observations); $top, $skip, $count, $orderby=phenomenonTime [asc|desc], $filter on phenomenonTime and result.");
    }

    private static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Root}";

    private static async Task<IResult> HandleAsync(string path, HttpRequest request, SensorsDbContext db, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var m = PathPattern().Match(path.TrimEnd('/'));
        if (!m.Success || !EntitySets.Contains(m.Groups["set"].Value))
            return Error(StatusCodes.Status404NotFound, $"'{Shorten(path)}' is not a resource of this service: {string.Join(", ", EntitySets)}, each with (id) and one navigation step.");
        var set = m.Groups["set"].Value;
        var id = m.Groups["id"].Success ? Uri.UnescapeDataString(m.Groups["id"].Value).Trim('\'') : null;
        var nav = m.Groups["nav"].Success ? m.Groups["nav"].Value : null;
        var options = request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
        var context = new Context(Base(request), db, dataSource, ct);

        // Resolve (set, id, nav) to what is asked for: a collection of a set (possibly scoped) or one entity.
        var (target, scope, single) = (set, nav, id) switch
        {
            (_, null, null) => (set, Scope.None, false),
            (_, null, _) => (set, ScopeOf(set, id!), true),
            ("Things", "Datastreams", _) or ("Sensors", "Datastreams", _) => ("Datastreams", new Scope(Device(id!), null), false),
            ("ObservedProperties", "Datastreams", _) => ("Datastreams", new Scope(null, id), false),
            ("Things", "Locations", _) => ("Locations", new Scope(Device(id!), null), false),
            ("Locations", "Things", _) => ("Things", new Scope(Device(id!), null), false),
            ("Datastreams", "Observations", _) => ("Observations", DatastreamScope(id!), false),
            ("Datastreams", "Thing", _) => ("Things", new Scope(DatastreamScope(id!).Device, null), true),
            ("Datastreams", "Sensor", _) => ("Sensors", new Scope(DatastreamScope(id!).Device, null), true),
            ("Datastreams", "ObservedProperty", _) => ("ObservedProperties", new Scope(null, DatastreamScope(id!).Quantity), true),
            ("Observations", "Datastream", _) => ("Datastreams", ObservationScope(id!), true),
            _ => (null, Scope.None, false),
        };
        if (target is null || scope.Invalid)
            return Error(StatusCodes.Status404NotFound, target is null ? $"{set} has no navigation property {nav}." : $"There is no {set} with id '{Shorten(id!)}'.");
        var observations = target == "Observations" && !single;
        var query = SensorThingsQuery.Parse(options, observations, out var error);
        if (query is null)
            return Error(StatusCodes.Status400BadRequest, error!);
        var rows = target switch
        {
            "Things" => await context.ThingsAsync(scope),
            "Locations" => await context.LocationsAsync(scope),
            "Sensors" => await context.SensorsAsync(scope),
            "Datastreams" => await context.DatastreamsAsync(scope),
            "ObservedProperties" => context.ObservedProperties(scope),
            _ => null,
        };
        if (single)
        {
            if (target == "Observations")
                return await context.ObservationAsync(id!) is { } observation ? Results.Json(observation) : Error(StatusCodes.Status404NotFound, $"There is no Observations with id '{Shorten(id!)}'.");
            return rows is [var one] ? Results.Json(one) : Error(StatusCodes.Status404NotFound, $"There is no {target} with id '{Shorten(id ?? "")}'.");
        }
        if (rows is not null)
            return Results.Json(Page(rows.Skip(query.Skip).Take(query.Top + 1).ToList(), query, query.Count ? rows.Count : null, request));
        var (page, count) = await context.ObservationsAsync(scope, query);
        return Results.Json(Page(page, query, count, request));
    }

    /// <summary>A collection page: <c>@iot.count</c> when asked, <c>value</c>, and <c>@iot.nextLink</c> when there is more (one extra row was read).</summary>
    private static JsonObject Page(List<JsonObject> rows, SensorThingsQuery query, long? count, HttpRequest request)
    {
        var page = new JsonObject();
        if (count is { } n)
            page["@iot.count"] = n;
        page["value"] = new JsonArray([.. rows.Take(query.Top)]);
        if (rows.Count > query.Top)
        {
            var next = request.Query.Where(q => q.Key != "$skip").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"$skip={query.Skip + query.Top}");
            page["@iot.nextLink"] = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', next)}";
        }
        return page;
    }

    private static IResult Error(int status, string message) =>
        Results.Problem(statusCode: status, title: status == StatusCodes.Status400BadRequest ? "Bad request" : "Not found", detail: message);

    private static string Shorten(string s) => s.Length > 80 ? s[..80] + "…" : s;

    /// <summary>What a request is scoped to: a device, a quantity, one observation (Invalid: the id cannot name anything).</summary>
    private sealed record Scope(Guid? Device, string? Quantity, bool Invalid = false, Guid? Any = null)
    {
        public static readonly Scope None = new(null, null);
    }

    private static Scope ScopeOf(string set, string id) => set switch
    {
        "ObservedProperties" => EnvironmentalQuantities.Find(id) is null ? new Scope(null, null, true) : new Scope(null, id),
        "Datastreams" => DatastreamScope(id),
        "Observations" => ObservationScope(id),
        _ => Device(id) is { } device ? new Scope(device, null) : new Scope(null, null, true),
    };

    private static Guid? Device(string id) => Guid.TryParse(id, out var g) ? g : null;

    private static Scope DatastreamScope(string id)
    {
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && Guid.TryParse(id[..dot], out var device) && EnvironmentalQuantities.Find(id[(dot + 1)..]) is { } q
            ? new Scope(device, q.Code)
            : new Scope(null, null, true);
    }

    private static Scope ObservationScope(string id) =>
        ObservationKey.Parse(id) is { } key ? new Scope(key.Device, key.Quantity) : new Scope(null, null, true);

    [GeneratedRegex(@"^(?<set>[A-Za-z]+)(?:\((?<id>[^()/]{1,200})\))?(?:/(?<nav>[A-Za-z]+))?$")]
    private static partial Regex PathPattern();

    /// <summary>An observation's id: its device, quantity, time and reading id, base64url-encoded (the reading's key, made URL-safe).</summary>
    internal sealed record ObservationKey(Guid Device, string Quantity, DateTimeOffset At, string ReadingId)
    {
        public override string ToString() =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Device:N}|{Quantity}|{At.UtcTicks}|{ReadingId}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static ObservationKey? Parse(string id)
        {
            try
            {
                var base64 = id.Replace('-', '+').Replace('_', '/');
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='))).Split('|', 4);
                return parts.Length == 4 && Guid.TryParseExact(parts[0], "N", out var device) && EnvironmentalQuantities.Find(parts[1]) is not null
                       && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                    ? new ObservationKey(device, parts[1], new DateTimeOffset(ticks, TimeSpan.Zero), parts[3])
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    /// <summary>The queries behind the entity sets (environmental sensors only) and their JSON representations.</summary>
    private sealed class Context(string baseUrl, SensorsDbContext db, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        private string Self(string set, string id) => $"{baseUrl}/{set}('{id}')";

        private async Task<List<SensorDevice>> DevicesAsync(Scope scope) =>
            await db.Devices.AsNoTracking().Where(d => d.Kind == SensorDeviceKinds.EnvironmentalSensor && (scope.Device == null || d.Id == scope.Device))
                .OrderBy(d => d.RegisteredAt).ThenBy(d => d.Id).ToListAsync(ct);

        public async Task<List<JsonObject>> ThingsAsync(Scope scope) => [.. (await DevicesAsync(scope)).Select(d => new JsonObject
        {
            ["@iot.id"] = d.Id.ToString(), ["@iot.selfLink"] = Self("Things", d.Id.ToString()), ["name"] = d.Name,
            ["description"] = "An environmental sensor of the city (SafeCities)",
            ["properties"] = new JsonObject { ["registeredAt"] = d.RegisteredAt.ToString("O"), ["lastSeenAt"] = d.LastSeenAt?.ToString("O") },
            ["Locations@iot.navigationLink"] = Self("Things", d.Id.ToString()) + "/Locations",
            ["Datastreams@iot.navigationLink"] = Self("Things", d.Id.ToString()) + "/Datastreams",
        })];

        public async Task<List<JsonObject>> LocationsAsync(Scope scope) => [.. (await DevicesAsync(scope)).Select(d => new JsonObject
        {
            ["@iot.id"] = d.Id.ToString(), ["@iot.selfLink"] = Self("Locations", d.Id.ToString()), ["name"] = d.Name,
            ["description"] = "Where the sensor is installed", ["encodingType"] = "application/geo+json",
            ["location"] = new JsonObject
            {
                ["type"] = "Point",
                ["coordinates"] = d.ElevationMeters is { } z ? new JsonArray(d.Longitude, d.Latitude, z) : new JsonArray(d.Longitude, d.Latitude),
            },
            ["Things@iot.navigationLink"] = Self("Locations", d.Id.ToString()) + "/Things",
        })];

        public async Task<List<JsonObject>> SensorsAsync(Scope scope) => [.. (await DevicesAsync(scope)).Select(d => new JsonObject
        {
            ["@iot.id"] = d.Id.ToString(), ["@iot.selfLink"] = Self("Sensors", d.Id.ToString()), ["name"] = d.Name,
            ["description"] = "The sensor's device as registered in SafeCities", ["encodingType"] = "text/plain", ["metadata"] = $"device {d.Id}",
            ["Datastreams@iot.navigationLink"] = Self("Sensors", d.Id.ToString()) + "/Datastreams",
        })];

        public List<JsonObject> ObservedProperties(Scope scope) => [.. EnvironmentalQuantities.All.Where(q => scope.Quantity is null || q.Code == scope.Quantity)
            .Select(q => new JsonObject
            {
                ["@iot.id"] = q.Code, ["@iot.selfLink"] = Self("ObservedProperties", q.Code), ["name"] = q.Label,
                ["definition"] = Self("ObservedProperties", q.Code), ["description"] = $"{q.Label} ({q.Kind}); plausible range {q.Min} to {q.Max} {q.Unit}",
                ["Datastreams@iot.navigationLink"] = Self("ObservedProperties", q.Code) + "/Datastreams",
            })];

        /// <summary>Every (sensor, quantity) that has reported, with the time span of its observations (the index's first and last entries).</summary>
        public async Task<List<JsonObject>> DatastreamsAsync(Scope scope)
        {
            var names = (await DevicesAsync(scope)).ToDictionary(d => d.Id, d => d.Name);
            await using var sql = dataSource.CreateCommand("""
                SELECT l.device_id, l.quantity,
                       (SELECT min(r.at) FROM sensors.readings r WHERE r.device_id = l.device_id AND r.quantity = l.quantity),
                       (SELECT max(r.at) FROM sensors.readings r WHERE r.device_id = l.device_id AND r.quantity = l.quantity)
                FROM sensors.latest_readings l
                WHERE (@device::uuid IS NULL OR l.device_id = @device::uuid) AND (@quantity::text IS NULL OR l.quantity = @quantity::text)
                ORDER BY l.device_id, l.quantity
                """);
            sql.Parameters.AddWithValue("device", (object?)scope.Device ?? DBNull.Value);
            sql.Parameters.AddWithValue("quantity", (object?)scope.Quantity ?? DBNull.Value);
            var rows = new List<JsonObject>();
            await using var reader = await sql.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var device = reader.GetGuid(0);
                if (!names.TryGetValue(device, out var name) || EnvironmentalQuantities.Find(reader.GetString(1)) is not { } q)
                    continue;
                var id = $"{device}.{q.Code}";
                var stream = new JsonObject
                {
                    ["@iot.id"] = id, ["@iot.selfLink"] = Self("Datastreams", id), ["name"] = $"{name} — {q.Label}",
                    ["description"] = $"{q.Label} measured by {name}",
                    ["unitOfMeasurement"] = new JsonObject { ["name"] = q.Unit, ["symbol"] = q.Unit, ["definition"] = $"http://unitsofmeasure.org/ucum.html#{Uri.EscapeDataString(q.Unit)}" },
                    ["observationType"] = Measurement,
                };
                if (!reader.IsDBNull(2))
                    stream["phenomenonTime"] = $"{reader.GetFieldValue<DateTimeOffset>(2):O}/{reader.GetFieldValue<DateTimeOffset>(3):O}";
                stream["Thing@iot.navigationLink"] = Self("Datastreams", id) + "/Thing";
                stream["Sensor@iot.navigationLink"] = Self("Datastreams", id) + "/Sensor";
                stream["ObservedProperty@iot.navigationLink"] = Self("Datastreams", id) + "/ObservedProperty";
                stream["Observations@iot.navigationLink"] = Self("Datastreams", id) + "/Observations";
                rows.Add(stream);
            }
            return rows;
        }

        public async Task<(List<JsonObject> Page, long? Count)> ObservationsAsync(Scope scope, SensorThingsQuery query)
        {
            var where = new StringBuilder("d.kind = @kind");
            await using var sql = dataSource.CreateCommand();
            sql.Parameters.AddWithValue("kind", SensorDeviceKinds.EnvironmentalSensor);
            if (scope.Device is { } device)
            {
                where.Append(" AND r.device_id = @device");
                sql.Parameters.AddWithValue("device", device);
            }
            if (scope.Quantity is { } quantity)
            {
                where.Append(" AND r.quantity = @quantity");
                sql.Parameters.AddWithValue("quantity", quantity);
            }
            for (var i = 0; i < query.Filter.Count; i++)
            {
                var c = query.Filter[i];
                where.Append(CultureInfo.InvariantCulture, $" AND r.{(c.Property == "result" ? "value" : "at")} {SensorThingsQuery.Sql(c.Operator)} @f{i}");
                sql.Parameters.AddWithValue($"f{i}", c.Time is { } at ? at : c.Number!.Value);
            }
            var from = $"FROM sensors.readings r JOIN sensors.devices d ON d.id = r.device_id WHERE {where}";
            long? count = null;
            if (query.Count)
            {
                sql.CommandText = $"SELECT count(*) {from}";
                count = (long)(await sql.ExecuteScalarAsync(ct))!;
            }
            var direction = query.Descending ? "DESC" : "ASC";
            sql.CommandText = $"""
                SELECT r.device_id, r.quantity, r.at, r.reading_id, r.value, r.received_at {from}
                ORDER BY r.at {direction}, r.device_id, r.quantity, r.reading_id LIMIT {query.Top + 1} OFFSET {query.Skip}
                """;
            var rows = new List<JsonObject>();
            await using var reader = await sql.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add(Observation(new ObservationKey(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3)),
                    reader.GetDouble(4), reader.GetFieldValue<DateTimeOffset>(5)));
            return (rows, count);
        }

        public async Task<JsonObject?> ObservationAsync(string id)
        {
            if (ObservationKey.Parse(id) is not { } key)
                return null;
            await using var sql = dataSource.CreateCommand("""
                SELECT r.value, r.received_at FROM sensors.readings r JOIN sensors.devices d ON d.id = r.device_id AND d.kind = @kind
                WHERE r.device_id = @device AND r.reading_id = @reading AND r.at = @at AND r.quantity = @quantity
                """);
            sql.Parameters.AddWithValue("kind", SensorDeviceKinds.EnvironmentalSensor);
            sql.Parameters.AddWithValue("device", key.Device);
            sql.Parameters.AddWithValue("reading", key.ReadingId);
            sql.Parameters.AddWithValue("at", key.At);
            sql.Parameters.AddWithValue("quantity", key.Quantity);
            await using var reader = await sql.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Observation(key, reader.GetDouble(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
        }

        private JsonObject Observation(ObservationKey key, double value, DateTimeOffset receivedAt)
        {
            var id = key.ToString();
            return new JsonObject
            {
                ["@iot.id"] = id, ["@iot.selfLink"] = Self("Observations", id), ["phenomenonTime"] = key.At.ToString("O"),
                ["resultTime"] = receivedAt.ToString("O"), ["result"] = value,
                ["Datastream@iot.navigationLink"] = Self("Observations", id) + "/Datastream",
            };
        }
    }
}
