using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Plates.Features;

internal sealed class StorePlateImageCommandValidator : AbstractValidator<StorePlateImageCommand>
{
    public StorePlateImageCommandValidator()
    {
        RuleFor(c => c.ReaderId).NotEmpty();
        RuleFor(c => c.ImageRef).NotEmpty().MaximumLength(512).Must(r => r is null || !r.Any(char.IsControl))
            .WithMessage("'imageRef' holds a control character.");
        RuleFor(c => c.Content).Cascade(CascadeMode.Stop).NotNull().Must(b => b!.Length is > 0 and <= PlateImage.MaxBytes)
            .WithMessage($"The image must be 1 byte to {PlateImage.MaxBytes / 1024} KB.")
            .Must(b => PlateImage.ContentTypeOf(b) is not null).WithMessage("The image must be a JPEG or a PNG.");
    }
}

internal sealed class StorePlateImageCommandHandler(PlatesDbContext db, TimeProvider clock) : ICommandHandler<StorePlateImageCommand, PlateImageStoredDto>
{
    public async ValueTask<PlateImageStoredDto> Handle(StorePlateImageCommand c, CancellationToken ct)
    {
        var content = c.Content!;
        var type = PlateImage.ContentTypeOf(content)!;
        var hash = SHA256.HashData(content);
        var imageRef = c.ImageRef!;
        if (!await db.Readers.AnyAsync(r => r.Id == c.ReaderId, ct))
            throw new DomainRuleException("This device is not registered with Plates.", 403);
        var existing = await db.Images.AsNoTracking().Where(i => i.ReaderId == c.ReaderId && i.ImageRef == imageRef).Select(i => i.Sha256).SingleOrDefaultAsync(ct);
        if (existing is null)
        {
            db.Images.Add(new PlateImage
            {
                ReaderId = c.ReaderId, ImageRef = imageRef, ContentType = type, Content = content, Sha256 = hash, UploadedAt = clock.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(ct);
                return new PlateImageStoredDto(imageRef, type, content.Length, true, PlateImage.UrlOf(c.ReaderId, imageRef));
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                db.ChangeTracker.Clear();   // the same upload raced this one: compare with what it stored
                existing = await db.Images.AsNoTracking().Where(i => i.ReaderId == c.ReaderId && i.ImageRef == imageRef).Select(i => i.Sha256).SingleAsync(ct);
            }
        }
        if (!existing.AsSpan().SequenceEqual(hash))
            throw new DomainRuleException($"Another image is already stored as '{imageRef}'; a read's image is evidence and is not replaced.", 409);
        return new PlateImageStoredDto(imageRef, type, content.Length, false, PlateImage.UrlOf(c.ReaderId, imageRef));
    }
}

internal sealed class GetPlateImageQueryHandler(PlatesDbContext db) : IQueryHandler<GetPlateImageQuery, PlateImageDto?>
{
    public async ValueTask<PlateImageDto?> Handle(GetPlateImageQuery q, CancellationToken ct) =>
        await db.Images.AsNoTracking().Where(i => i.ReaderId == q.ReaderId && i.ImageRef == q.ImageRef)
            .Select(i => new PlateImageDto(i.ContentType, i.Content, Convert.ToHexStringLower(i.Sha256))).SingleOrDefaultAsync(ct);
}

/// <summary><c>PUT /api/v1/plates/images/{imageRef}</c> (readers, with their device key) and <c>GET /api/v1/plates/images/{readerId}/{imageRef}</c> (staff).</summary>
internal static class PlateImageEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPut("/images/{imageRef}", async Task<IResult> (string imageRef, HttpContext http, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                    size.MaxRequestBodySize = PlateImage.MaxBytes + 1;
                if (http.Request.ContentLength > PlateImage.MaxBytes)
                    return TooLarge();
                using var buffer = new MemoryStream();
                try
                {
                    await http.Request.Body.CopyToAsync(buffer, ct);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return TooLarge();
                }
                if (buffer.Length > PlateImage.MaxBytes)
                    return TooLarge();
                var stored = await sender.Send(new StorePlateImageCommand(user.DeviceId(), Slashes(imageRef), buffer.ToArray()), ct);
                return stored.Created ? TypedResults.Created(stored.Url, stored) : TypedResults.Ok(stored);
            })
            .RequireAuthorization(PlatesDeviceKinds.PlateReaderDevicesPolicy)
            .WithSummary("The reader's picture of a read (the body: JPEG or PNG bytes, at most 1 MB), under the imageRef the read was sent with. "
                + "201 stored; 200 the same image was already stored; 409 another image is stored under that reference; 400 not a JPEG or PNG; 413 too large.")
            .Accepts<byte[]>("image/jpeg", "image/png")
            .Produces<PlateImageStoredDto>(StatusCodes.Status201Created).Produces<PlateImageStoredDto>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapGet("/images/{readerId:guid}/{imageRef}", async Task<IResult> (Guid readerId, string imageRef, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                if (await sender.Send(new GetPlateImageQuery(readerId, Slashes(imageRef)), ct) is not { } image)
                    return TypedResults.NotFound();
                http.Response.Headers.CacheControl = "private, max-age=86400";
                http.Response.Headers["X-Content-Type-Options"] = "nosniff";
                return TypedResults.File(image.Content, image.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{image.ETag}\""));
            })
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("A plate-read image, for signed-in staff who may see hits and reads (the pages show it as a thumbnail).")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Routing decodes every escape of a path segment but "%2F": an imageRef holding '/' arrives with it still escaped.</summary>
    private static string Slashes(string imageRef) => imageRef.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static IResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The image is too large.", detail: $"At most {PlateImage.MaxBytes / 1024} KB.");
}
