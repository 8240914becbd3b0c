using System.Text;
using SafeCities.Modules.Alerts.Contracts;
using SkiaSharp;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>Helpers for citizen-report tests: Open311 posts from a client address of their own, and photos carrying metadata.</summary>
internal static class CitizenReportKit
{
    private static int nextAddress;

    /// <summary>A client address no other test uses (the app believes X-Forwarded-For from loopback), so rate limits never cross tests.</summary>
    public static string NewAddress()
    {
        var n = Interlocked.Increment(ref nextAddress) + Random.Shared.Next(0, 1000) * 1000;
        return $"198.18.{n / 250 % 250}.{n % 250 + 1}";
    }

    public static HttpClient PublicClient(this AppFixture app, string? address = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address ?? NewAddress());
        return client;
    }

    public static Task<HttpResponseMessage> PostOpen311Async(this HttpClient client, params (string Key, string Value)[] fields) =>
        client.PostAsync("open311/v2/requests.json", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));

    public static (string, string)[] Fields(string code, double lat, double lon, string description, params (string, string)[] more) =>
        [("service_code", code), ("lat", lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            ("long", lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), ("description", description), .. more];

    public static async Task<Guid> SubmitOpen311Async(this AppFixture app, double lat, double lon, string description = "Two men running from the shop",
        string code = "theft", params (string, string)[] more)
    {
        using var client = app.PublicClient();
        var response = await client.PostOpen311Async(Fields(code, lat, lon, description, more));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return Guid.Parse(JsonNode.Parse(body)!.AsArray().Single()!["service_request_id"]!.GetValue<string>());
    }

    /// <summary>Sends a message through the app's pipeline (validation included) in a fresh scope.</summary>
    public static Task<T> SendAsync<T>(this AppFixture app, Func<Mediator.ISender, ValueTask<T>> send) =>
        app.InScopeAsync(sp => send(sp.GetRequiredService<Mediator.ISender>()).AsTask());

    public static async Task<CitizenReportReceiptDto> SubmitAsync(this AppFixture app, double lat, double lon, DateTimeOffset? at = null,
        IReadOnlyList<ReportPhotoUpload>? photos = null, string description = "A car hit a cyclist and drove off", string? email = null) =>
        await app.SendAsync(s => s.Send(new SubmitCitizenReportCommand("web", "traffic", description, at ?? DateTimeOffset.UtcNow.AddMinutes(-2), lat, lon,
            ContactEmail: email, Photos: photos)));

    public static async Task<(string Status, Guid? Incident, Guid Cluster)> StateOfAsync(this AppFixture app, Guid report)
    {
        await using var db = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT status, incident_id, cluster_id FROM alerts.citizen_reports WHERE id = @id", db);
        cmd.Parameters.AddWithValue("id", report);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"report {report} not stored");
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetGuid(2));
    }

    public static async Task<(string Status, Guid? Incident)> StatusAndIncidentAsync(this AppFixture app, Guid report)
    {
        var (status, incident, _) = await app.StateOfAsync(report);
        return (status, incident);
    }

    /// <summary>A 64×48 photo in <paramref name="format"/>, with a gradient so that it is no trivial image.</summary>
    public static byte[] Image(SKEncodedImageFormat format, int width = 64, int height = 48)
    {
        using var bitmap = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 4), (byte)(y * 5), 120));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>
    /// A JPEG with an EXIF segment (orientation 6: "rotate 90° to show it upright", then <paramref name="marker"/> as if it were a GPS position
    /// or a camera serial) and a comment segment holding the marker too.
    /// </summary>
    public static byte[] JpegWithExif(string marker)
    {
        var jpeg = Image(SKEncodedImageFormat.Jpeg);
        var text = Encoding.ASCII.GetBytes(marker);
        byte[] tiff =
        [
            (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0,   // little-endian TIFF, first IFD at 8
            1, 0,                                       // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0,   // Orientation (0x0112), SHORT, 1 value: 6
            0, 0, 0, 0,                                 // no next IFD
            .. text,
        ];
        byte[] exif = [.. "Exif\0\0"u8, .. tiff];
        byte[] app1 = [0xFF, 0xE1, (byte)((exif.Length + 2) >> 8), (byte)((exif.Length + 2) & 0xFF), .. exif];
        byte[] com = [0xFF, 0xFE, (byte)((text.Length + 2) >> 8), (byte)((text.Length + 2) & 0xFF), .. text];
        return [.. jpeg[..2], .. app1, .. com, .. jpeg[2..]];
    }

    /// <summary>A PNG with a tEXt chunk holding <paramref name="marker"/> right after its header chunk.</summary>
    public static byte[] PngWithText(string marker)
    {
        var png = Image(SKEncodedImageFormat.Png);
        byte[] type = "tEXt"u8.ToArray();
        byte[] data = [.. "Comment\0"u8, .. Encoding.ASCII.GetBytes(marker)];
        var crc = Crc32([.. type, .. data]);
        byte[] chunk = [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. type, .. data,
            (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
        const int afterHeader = 8 + 25;
        return [.. png[..afterHeader], .. chunk, .. png[afterHeader..]];
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    public static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;
}
