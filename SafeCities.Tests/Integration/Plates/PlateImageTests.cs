using System.Net.Http.Headers;
using SafeCities.Modules.Platform.Demo;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>Plate-read images: uploaded by the reader with its key, stored in the Plates schema, served in the app to staff, linked from hits and reads.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlateImageTests(AppFixture app)
{
    private static ByteArrayContent Body(byte[] bytes, string type = "image/png")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    [Fact]
    public async Task A_reader_uploads_a_png_once_idempotently_and_refuses_other_bytes_non_images_and_oversize()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        using var reader = app.Client(key);
        var imageRef = $"cam/{Guid.NewGuid():N}.png";
        var url = $"api/v1/plates/images/{Uri.EscapeDataString(imageRef)}";
        var png = DemoPlateImage.Png("ABC1234");

        var created = await reader.PutAsync(url, Body(png));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/plates/images/{readerId}/{Uri.EscapeDataString(imageRef)}", (await created.ReadJsonAsync())["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await reader.PutAsync(url, Body(png))).StatusCode);   // the same again: nothing changes
        var other = (byte[])[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        Assert.Equal(HttpStatusCode.Conflict, (await reader.PutAsync(url, Body(other, "image/jpeg"))).StatusCode);
        // the bytes decide, not the declared type: a GIF sent as a PNG is refused (and a declared GIF is not taken at all)
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.PutAsync($"api/v1/plates/images/gif-{Guid.NewGuid():N}", Body("GIF89a..."u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await reader.PutAsync($"api/v1/plates/images/gif-{Guid.NewGuid():N}", Body("GIF89a..."u8.ToArray(), "image/gif"))).StatusCode);
        var big = new byte[1024 * 1024 + 1];
        png.CopyTo(big, 0);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await reader.PutAsync($"api/v1/plates/images/big-{Guid.NewGuid():N}", Body(big))).StatusCode);
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync($"api/v1/plates/images/x-{Guid.NewGuid():N}", Body(png))).StatusCode);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.plate_images WHERE reader_id = '{readerId}'"));
        Assert.Equal(png.Length, await app.CountAsync($"SELECT length(content) FROM plates.plate_images WHERE reader_id = '{readerId}'"));
    }

    [Fact]
    public async Task Hits_and_searches_give_the_image_url_staff_can_load_and_null_without_an_image()
    {
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate);
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var withImage = Guid.NewGuid().ToString("N");
        var without = Guid.NewGuid().ToString("N");
        await app.SendReadsAsync(key, PlatesKit.Read(withImage, plate, DateTimeOffset.UtcNow.AddSeconds(-30)), PlatesKit.Read(without, plate, DateTimeOffset.UtcNow.AddSeconds(-10)));
        var png = DemoPlateImage.Png(plate);
        using (var reader = app.Client(key))
            Assert.Equal(HttpStatusCode.Created, (await reader.PutAsync($"api/v1/plates/images/{Uri.EscapeDataString($"img://{withImage}")}", Body(png))).StatusCode);

        var hits = await app.HitsAsync(plate);
        Assert.Equal(2, hits.Count);
        var urls = hits.Select(h => h!["imageUrl"]?.GetValue<string>()).ToList();
        var url = Assert.Single(urls, u => u is not null)!;
        Assert.Contains(urls, u => u is null);
        Assert.Equal($"/api/v1/plates/images/{readerId}/{Uri.EscapeDataString($"img://{withImage}")}", url);

        using var officer = await app.SignedInAsync(Users.Officer);
        var image = await officer.GetAsync(url.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url.TrimStart('/'))).StatusCode);
        Assert.Contains($"src=\"{url}\"", await officer.GetStringAsync($"Plates/Hits?plate={plate}"));

        using var analyst = await app.SignedInAsync(Users.Analyst);
        var page = await analyst.GetStringAsync($"Plates/Search?plate={plate}&{Stated.Query}&purpose=image+check+{plate}");
        Assert.Contains($"src=\"{url}\"", page);
    }

    [Fact]
    public void The_demo_png_is_a_valid_png_with_correct_checksums()
    {
        var png = DemoPlateImage.Png("XYZ9876");
        Assert.Equal("image/png", SafeCities.Modules.Plates.Domain.PlateImage.ContentTypeOf(png));
        Assert.Equal(0xCBF43926u, DemoPlateImage.Crc32("123456789"u8));   // the CRC-32 check value
        var ihdr = png.AsSpan(8 + 4, 4 + 13);
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8 + 4 + 4 + 13, 4)), DemoPlateImage.Crc32(ihdr));
        Assert.Equal(DemoPlateImage.Width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
    }
}
