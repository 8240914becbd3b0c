using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Input;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// The body of <c>POST /api/v1/plates/reads</c> read with a <see cref="Utf8JsonReader"/> straight into the reads (ADR 0057): the
/// general deserialiser built each read through its constructor-argument machinery and then checked it by boxing every member
/// (<see cref="InputHygieneJson"/>), about a tenth of the node's CPU for a batch. It accepts and refuses what that path did, with the
/// same answers: the host's JSON options for this body (property names in any case, unknown properties ignored, numbers only as
/// numbers, a later duplicate property wins, nothing after the value), <see cref="InputRules"/> on every text, date and number, no
/// null in <c>reads</c>; a refusal is an <see cref="InputRefusedException"/> naming the field, a value of the wrong type or format a
/// <see cref="JsonException"/> with its path (both 400). A body in a charset other than UTF-8 goes to the general deserialiser.
/// <c>PlateReadsJsonTests</c> holds the two to the same answers.
/// </summary>
internal static class PlateReadsJson
{
    /// <summary>The body, read to its end (Kestrel's body size limit still applies: 413 while it streams in).</summary>
    public static async ValueTask<IngestPlateReadsRequest?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.GetTypedHeaders().ContentType?.Charset is { Length: > 0 } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("\"utf-8\"", StringComparison.OrdinalIgnoreCase))
            return await request.ReadFromJsonAsync<IngestPlateReadsRequest>(ct);
        var body = request.BodyReader;
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and <= 1 << 24 and var n ? (int)n : 64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                var result = await body.ReadAsync(ct);
                foreach (var segment in result.Buffer)
                {
                    if (length + segment.Length > buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + segment.Length));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    segment.Span.CopyTo(buffer.AsSpan(length));
                    length += segment.Length;
                }
                body.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                    break;
            }
            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A whole body (UTF-8, a byte-order mark allowed).</summary>
    internal static IngestPlateReadsRequest? Parse(ReadOnlySpan<byte> json)
    {
        if (json.StartsWith("\xEF\xBB\xBF"u8))
            json = json[3..];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        try
        {
            if (!reader.Read())
                throw new JsonException("The input does not contain any JSON tokens.", "$", 0, 0);
            IngestPlateReadsRequest? request;
            if (reader.TokenType == JsonTokenType.Null)
                request = null;
            else
            {
                Expect(ref reader, JsonTokenType.StartObject, "$");
                request = new IngestPlateReadsRequest(ReadRoot(ref reader));
            }
            if (reader.Read())
                throw Unreadable(ref reader, "$", "There is more after the JSON value.");
            return request;
        }
        catch (JsonException e) when (e is not InputRefusedException && e.Path is null)
        {
            // The reader's own complaint (malformed JSON): where it is, as System.Text.Json says it.
            throw new JsonException(e.Message, "$", e.LineNumber, e.BytePositionInLine, e);
        }
    }

    private static List<IncomingPlateReadDto>? ReadRoot(ref Utf8JsonReader reader)
    {
        List<IncomingPlateReadDto>? reads = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isReads = IsReads(ref reader);
            reader.Read();
            if (!isReads)
                reader.Skip();
            else
                reads = reader.TokenType == JsonTokenType.Null ? null : ReadArray(ref reader);
        }
        return reads;
    }

    private static List<IncomingPlateReadDto> ReadArray(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "$.reads");
        var reads = new List<IncomingPlateReadDto>(256);
        var firstNull = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var i = reads.Count + (firstNull >= 0 ? 1 : 0);
            if (reader.TokenType == JsonTokenType.Null)
            {
                // Refused once the whole array is read, as the general path did (a value it cannot read, later on, is named first).
                if (firstNull < 0)
                    firstNull = i;
                continue;
            }
            if (firstNull >= 0)
            {
                ReadRead(ref reader, i);   // read and checked, not kept
                continue;
            }
            reads.Add(ReadRead(ref reader, i));
        }
        if (firstNull >= 0)
            throw new InputRefusedException("is null; an array may not hold null.", $".reads[{firstNull}]");
        return reads;
    }

    private static IncomingPlateReadDto ReadRead(ref Utf8JsonReader reader, int i)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"$.reads[{i}]");
        string? readId = null, plate = null, region = null, make = null, model = null, color = null, imageRef = null;
        DateTimeOffset? capturedAt = null;
        double? confidence = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader, i);
            reader.Read();
            switch (field)
            {
                case Fields.ReadId: readId = Text(ref reader, i, "readId"); break;
                case Fields.Plate: plate = Text(ref reader, i, "plate"); break;
                case Fields.Region: region = Text(ref reader, i, "region"); break;
                case Fields.Make: make = Text(ref reader, i, "make"); break;
                case Fields.Model: model = Text(ref reader, i, "model"); break;
                case Fields.Color: color = Text(ref reader, i, "color"); break;
                case Fields.ImageRef: imageRef = Text(ref reader, i, "imageRef"); break;
                case Fields.CapturedAt: capturedAt = Time(ref reader, i); break;
                case Fields.Confidence: confidence = Number(ref reader, i); break;
                default: reader.Skip(); break;
            }
        }
        // The general path checked a read's members once it was read, in the order of the record's properties.
        Check(readId, i, "readId");
        Check(plate, i, "plate");
        Check(region, i, "region");
        if (capturedAt is { } at && InputRules.DateRefusal(at.Year) is { } badDate)
            throw new InputRefusedException(badDate, $".reads[{i}].capturedAt");
        if (confidence is { } c && InputRules.NumberRefusal(c) is { } badNumber)
            throw new InputRefusedException(badNumber, $".reads[{i}].confidence");
        Check(make, i, "make");
        Check(model, i, "model");
        Check(color, i, "color");
        Check(imageRef, i, "imageRef");
        return new IncomingPlateReadDto(readId, plate, region, capturedAt, confidence, make, model, color, imageRef);
    }

    private enum Fields { Other, ReadId, Plate, Region, CapturedAt, Confidence, Make, Model, Color, ImageRef }

    private static readonly (string Name, Fields Field)[] Names =
    [
        ("readId", Fields.ReadId), ("plate", Fields.Plate), ("region", Fields.Region), ("capturedAt", Fields.CapturedAt),
        ("confidence", Fields.Confidence), ("make", Fields.Make), ("model", Fields.Model), ("color", Fields.Color), ("imageRef", Fields.ImageRef),
    ];

    /// <summary>
    /// The property, matched as the host's options match names: exactly (the usual case, no string made), else in any case. A name that
    /// escapes an unpaired surrogate cannot be read (400, as before).
    /// </summary>
    private static Fields Field(ref Utf8JsonReader reader, int i)
    {
        try
        {
            var exact = reader.ValueTextEquals("readId"u8) ? Fields.ReadId
                : reader.ValueTextEquals("plate"u8) ? Fields.Plate
                : reader.ValueTextEquals("region"u8) ? Fields.Region
                : reader.ValueTextEquals("capturedAt"u8) ? Fields.CapturedAt
                : reader.ValueTextEquals("confidence"u8) ? Fields.Confidence
                : reader.ValueTextEquals("make"u8) ? Fields.Make
                : reader.ValueTextEquals("model"u8) ? Fields.Model
                : reader.ValueTextEquals("color"u8) ? Fields.Color
                : reader.ValueTextEquals("imageRef"u8) ? Fields.ImageRef
                : Fields.Other;
            if (exact != Fields.Other)
                return exact;
            var name = reader.GetString();
            foreach (var (known, field) in Names)
                if (string.Equals(name, known, StringComparison.OrdinalIgnoreCase))
                    return field;
            return Fields.Other;
        }
        catch (InvalidOperationException e)
        {
            throw Unreadable(ref reader, $"$.reads[{i}]", e.Message, e);
        }
    }

    private static bool IsReads(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.ValueTextEquals("reads"u8) || string.Equals(reader.GetString(), "reads", StringComparison.OrdinalIgnoreCase);
        }
        catch (InvalidOperationException e)
        {
            throw Unreadable(ref reader, "$", e.Message, e);
        }
    }

    private static string? Text(ref Utf8JsonReader reader, int i, string name)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.String)
            throw Unreadable(ref reader, Path(i, name), $"The JSON value could not be converted to System.String. Path: {Path(i, name)}");
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException e)
        {
            throw Unreadable(ref reader, Path(i, name), e.Message, e);
        }
    }

    private static DateTimeOffset? Time(ref Utf8JsonReader reader, int i)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
            throw Unreadable(ref reader, Path(i, "capturedAt"), $"The JSON value could not be converted to System.DateTimeOffset. Path: {Path(i, "capturedAt")}");
        return value;
    }

    private static double? Number(ref Utf8JsonReader reader, int i)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value))
            throw Unreadable(ref reader, Path(i, "confidence"), $"The JSON value could not be converted to System.Double. Path: {Path(i, "confidence")}");
        return value;
    }

    private static void Check(string? text, int i, string name)
    {
        if (text is not null && InputRules.TextRefusal(text) is { } why)
            throw new InputRefusedException(why, $".reads[{i}].{name}");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path)
    {
        if (reader.TokenType != type)
            throw Unreadable(ref reader, path, $"The JSON value could not be converted to the expected {(type == JsonTokenType.StartArray ? "array" : "object")}. Path: {path}");
    }

    private static string Path(int i, string name) => $"$.reads[{i}].{name}";

    private static JsonException Unreadable(ref Utf8JsonReader reader, string path, string message, Exception? inner = null) =>
        new(message, path, null, reader.BytesConsumed, inner);
}
