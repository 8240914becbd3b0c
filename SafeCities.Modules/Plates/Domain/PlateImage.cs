namespace SafeCities.Modules.Plates.Domain;

/// <summary>
/// The picture a reader took of a read, uploaded by the reader with its device key under the read's <see cref="PlateRead.ImageRef"/>
/// (JPEG or PNG, at most <see cref="MaxBytes"/>). Kept as long as that read is (the read-retention job deletes the image with the read;
/// a read kept as evidence keeps its image). Served only to signed-in staff through the app (never an outside URL).
/// </summary>
internal sealed class PlateImage
{
    public const int MaxBytes = 1024 * 1024;

    public Guid ReaderId { get; init; }
    public required string ImageRef { get; init; }
    public required string ContentType { get; init; }
    public required byte[] Content { get; init; }
    public required byte[] Sha256 { get; init; }
    public DateTimeOffset UploadedAt { get; init; }

    /// <summary>image/jpeg or image/png by the file's first bytes (magic numbers), null for anything else.</summary>
    public static string? ContentTypeOf(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;

    /// <summary>The app URL staff load the image from.</summary>
    public static string UrlOf(Guid readerId, string imageRef) => $"/api/v1/plates/images/{readerId}/{Uri.EscapeDataString(imageRef)}";
}
