using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Alerts.CitizenReports;

internal sealed record Open311Service(
    [property: JsonPropertyName("service_code")] string ServiceCode,
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("metadata")] bool Metadata,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("keywords")] string Keywords,
    [property: JsonPropertyName("group")] string Group);

/// <summary>GeoReport v2's service definition: the extra attributes a service asks for (none of ours does).</summary>
internal sealed record Open311ServiceDefinition(
    [property: JsonPropertyName("service_code")] string ServiceCode,
    [property: JsonPropertyName("attributes")] IReadOnlyList<object> Attributes);

internal sealed record Open311Receipt(
    [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
    [property: JsonPropertyName("service_notice")] string ServiceNotice,
    [property: JsonPropertyName("account_id")] string? AccountId);

internal sealed record Open311Request(
    [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_notes")] string? StatusNotes,
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("service_code")] string ServiceCode,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("agency_responsible")] string AgencyResponsible,
    [property: JsonPropertyName("service_notice")] string? ServiceNotice,
    [property: JsonPropertyName("requested_datetime")] DateTimeOffset RequestedDatetime,
    [property: JsonPropertyName("updated_datetime")] DateTimeOffset UpdatedDatetime,
    [property: JsonPropertyName("expected_datetime")] DateTimeOffset? ExpectedDatetime,
    [property: JsonPropertyName("address")] string? Address,
    [property: JsonPropertyName("address_id")] string? AddressId,
    [property: JsonPropertyName("zipcode")] string? Zipcode,
    [property: JsonPropertyName("lat")] double Lat,
    [property: JsonPropertyName("long")] double Long,
    [property: JsonPropertyName("media_url")] string? MediaUrl);

internal sealed record Open311Error(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("description")] string Description);

/// <summary>
/// Open311 GeoReport v2 (JSON format only): services, report submission (form-encoded, as the spec says), and reports by id or filter with
/// public fields only. Errors are Open311's: a JSON array of <c>{code, description}</c> with the HTTP status.
/// </summary>
internal static class Open311Endpoints
{
    public const string Root = "/open311/v2";
    private const string Agency = "Police department (real-time crime center)";

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Root).WithTags("Open311").AllowAnonymous();
        api.MapGet("/services.json", () => TypedResults.Ok(CitizenReportCategories.All
                .Select(c => new Open311Service(c.Code, c.Name, c.Description, false, "realtime", "", "police")).ToList()))
            .WithSummary("GeoReport v2: the kinds of report the public can make (public, no key).");
        api.MapGet("/services/{code}.json", (string code) => CitizenReportCategories.Find(code) is { } category
                ? TypedResults.Ok(new Open311ServiceDefinition(category.Code, []))
                : Error(404, "No such service_code: see services.json."))
            .Produces<Open311ServiceDefinition>()
            .Produces<List<Open311Error>>(StatusCodes.Status404NotFound)
            .WithSummary("GeoReport v2: a service's definition. Ours ask for no attributes beyond the standard fields (metadata is false in services.json).");
        api.MapPost("/requests.json", SubmitAsync)
            .RequireRateLimiting(CitizenReportLimits.RateLimitPolicy)
            .Produces<List<Open311Receipt>>(StatusCodes.Status201Created)
            .Produces<List<Open311Error>>(StatusCodes.Status400BadRequest)
            .Produces<List<Open311Error>>(StatusCodes.Status429TooManyRequests)
            // No Accepts<>() metadata: it would take part in routing, and a body of another type must get Open311's 400, not a 415.
            .WithSummary("GeoReport v2: submit a report (form-encoded: service_code, lat, long, description; optional email, first_name, last_name, "
                         + "phone). Rate-limited per client address; answers [{service_request_id}].");
        api.MapGet("/requests/{id}.json", async Task<IResult> (string id, ISender sender, CancellationToken ct) =>
            {
                if (!Guid.TryParse(id, out var guid))
                    return Error(404, "No such service request.");
                return await sender.Send(new GetPublicCitizenReportQuery(guid), ct) is { } report
                    ? TypedResults.Ok(new List<Open311Request> { ToOpen311(report) })
                    : Error(404, "No such service request.");
            })
            .Produces<List<Open311Request>>()
            .Produces<List<Open311Error>>(StatusCodes.Status404NotFound)
            .WithSummary("GeoReport v2: one report, public fields only (never the reporter's contact, the description or the exact place).");
        api.MapGet("/requests.json", ListAsync)
            .Produces<List<Open311Request>>()
            .Produces<List<Open311Error>>(StatusCodes.Status400BadRequest)
            .WithSummary("GeoReport v2: reports by service_request_id (comma-separated) or by service_code, status, start_date and end_date "
                         + "(default: the last 90 days), public fields only.");
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, ISender sender, TimeProvider clock, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            return Error(400, "Send the request form-encoded (application/x-www-form-urlencoded), as GeoReport v2 says.");
        var form = await request.ReadFormAsync(ct);
        string? Field(string name) => form.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrWhiteSpace(v[0]) ? v[0] : null;
        if (Field("service_code") is null)
            return Error(400, "service_code is required.");
        if (!TryNumber(Field("lat"), out var lat) || !TryNumber(Field("long"), out var lon))
            return Error(400, "lat and long are required, as decimal degrees (WGS 84); address_string alone is not accepted.");
        var name = string.Join(' ', new[] { Field("first_name"), Field("last_name") }.Where(s => s is not null));
        try
        {
            var receipt = await sender.Send(new SubmitCitizenReportCommand(ReportChannels.Open311, Field("service_code"), Field("description"),
                clock.GetUtcNow(), lat, lon, name.Length == 0 ? null : name, Field("phone"), Field("email")), ct);
            return TypedResults.Json(new List<Open311Receipt> { new(receipt.Id.ToString(), Notice, null) }, statusCode: StatusCodes.Status201Created);
        }
        catch (ValidationException v)
        {
            return Error(400, string.Join(" ", v.Errors.Select(e => $"{Open311Field(e.PropertyName)}: {e.ErrorMessage}").Distinct()));
        }
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ISender sender, CancellationToken ct)
    {
        var q = request.Query;
        List<Guid>? ids = null;
        if (q["service_request_id"].ToString() is { Length: > 0 } idList)
        {
            ids = [];
            foreach (var part in idList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Guid.TryParse(part, out var id))
                    return Error(400, $"service_request_id '{part}' is not a service request id.");
                ids.Add(id);
            }
        }
        if (!TryDate(q["start_date"], out var from) || !TryDate(q["end_date"], out var to))
            return Error(400, "start_date and end_date are ISO 8601 date-times (e.g. 2026-12-01T00:00:00Z) in the years 1900–2200.");
        var code = q["service_code"].ToString() is { Length: > 0 } c ? c : null;
        var status = q["status"].ToString() is { Length: > 0 } s ? s : null;
        try
        {
            var reports = await sender.Send(new ListPublicCitizenReportsQuery(ids, code, status, from, to), ct);
            return TypedResults.Ok(reports.Select(ToOpen311).ToList());
        }
        catch (ValidationException v)
        {
            return Error(400, string.Join(" ", v.Errors.Select(e => e.ErrorMessage).Distinct()));
        }
    }

    private static Open311Request ToOpen311(PublicCitizenReportDto r) => new(r.Id.ToString(), r.Status, null, CitizenReportCategories.Name(r.Category),
        r.Category, null, Agency, null, r.RequestedAt, r.UpdatedAt, null, null, null, null, r.Latitude, r.Longitude, null);

    /// <summary>The same words whatever became of the report: the public is not told whether an incident is open near a place.</summary>
    private const string Notice = "Thank you. Your report will be reviewed by the police. In an emergency, call 911.";

    internal static IResult Error(int status, string description) =>
        TypedResults.Json(new List<Open311Error> { new(status, description) }, statusCode: status);

    private static string Open311Field(string property) => property switch
    {
        nameof(SubmitCitizenReportCommand.Category) => "service_code",
        nameof(SubmitCitizenReportCommand.Latitude) => "lat",
        nameof(SubmitCitizenReportCommand.Longitude) => "long",
        nameof(SubmitCitizenReportCommand.Description) => "description",
        nameof(SubmitCitizenReportCommand.ContactEmail) => "email",
        nameof(SubmitCitizenReportCommand.ContactPhone) => "phone",
        nameof(SubmitCitizenReportCommand.ContactName) => "first_name/last_name",
        _ => property,
    };

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool TryDate(Microsoft.Extensions.Primitives.StringValues text, out DateTimeOffset? value)
    {
        value = null;
        if (text.Count == 0 || string.IsNullOrWhiteSpace(text[0]))
            return true;
        if (!DateTimeOffset.TryParse(text[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || !InputRules.IsSaneYear(at.Year))
            return false;
        value = at;
        return true;
    }
}

/// <summary>
/// What the edge refuses before an Open311 endpoint runs (a control character in a field, an unreadable form, a broken rule) answers in
/// Open311's error format too. Registered before the platform's ProblemDetails handler, for <c>/open311</c> paths only.
/// </summary>
internal sealed class Open311ExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!context.Request.Path.StartsWithSegments(Open311Endpoints.Root))
            return false;
        var (status, description) = exception switch
        {
            InputRefusedException r => (400, string.Join(" ", r.Errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}"))),
            BadHttpRequestException { InnerException: InputRefusedException r } => (400, r.Message),
            BadHttpRequestException b => (b.StatusCode, b.Message),
            ValidationException v => (400, string.Join(" ", v.Errors.Select(e => e.ErrorMessage).Distinct())),
            DomainRuleException d => (d.StatusCode, d.Message),
            _ => (0, ""),
        };
        if (status == 0)
            return false;
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new List<Open311Error> { new(status, description) }, cancellationToken);
        return true;
    }
}
