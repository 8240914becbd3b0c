using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// Admission to ingestion on this node: at most <see cref="PlatesOptions.MaxConcurrentIngestions"/> batches are read and written
/// at once, at most <see cref="PlatesOptions.MaxQueuedIngestions"/> wait (their bodies still unread, so memory stays bounded
/// by slots × body limit), and one that waits longer than <see cref="PlatesOptions.IngestionQueueTimeoutSeconds"/> gives up.
/// </summary>
internal sealed class PlateIngestionGate : IDisposable
{
    private readonly ConcurrencyLimiter limiter;
    private readonly TimeSpan queueTimeout;

    public PlateIngestionGate(IOptions<PlatesOptions> options)
        : this(options.Value.MaxConcurrentIngestions, options.Value.MaxQueuedIngestions, TimeSpan.FromSeconds(options.Value.IngestionQueueTimeoutSeconds))
    {
    }

    internal PlateIngestionGate(int slots, int queue, TimeSpan queueTimeout)
    {
        Slots = Math.Max(1, slots);
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Slots, QueueLimit = Math.Max(0, queue), QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        this.queueTimeout = queueTimeout;
    }

    /// <returns>A held slot (dispose it when the batch is answered), or the status to shed with: 429 when the queue is full,
    /// 503 when the wait for a slot timed out.</returns>
    public async ValueTask<(RateLimitLease? Slot, int ShedStatus)> EnterAsync(CancellationToken ct)
    {
        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
            return (lease, 0);
        lease.Dispose();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(queueTimeout);
        try
        {
            lease = await limiter.AcquireAsync(1, wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, StatusCodes.Status503ServiceUnavailable);
        }
        if (lease.IsAcquired)
            return (lease, 0);
        lease.Dispose();
        return (null, StatusCodes.Status429TooManyRequests);
    }

    public RateLimiterStatistics? Statistics => limiter.GetStatistics();

    public int Slots { get; }

    public void Dispose() => limiter.Dispose();
}

/// <summary>
/// <c>POST /api/v1/plates/reads</c>. The body is read by hand, after admission, so that a refused batch costs no memory:
/// 413 when it is larger than <see cref="PlatesOptions.MaxRequestBodyBytes"/> (declared or as it streams in), 429/503 with
/// <c>Retry-After</c> when this node is saturated or the database is briefly unavailable. A shed batch was not stored;
/// a 200 means committed.
/// </summary>
internal static class PlateReadsIngestionEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, ClaimsPrincipal user, PlateIngestionGate gate, IOptions<PlatesOptions> options,
        ISender sender, PlatesMetrics metrics, CancellationToken ct)
    {
        var o = options.Value;
        if (http.Request.ContentLength > o.MaxRequestBodyBytes)
            return TooLarge(o.MaxRequestBodyBytes);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = o.MaxRequestBodyBytes;
        if (!http.Request.HasJsonContentType())
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The request could not be read.",
                detail: "Send the batch as application/json.");

        var (slot, shed) = await gate.EnterAsync(ct);
        if (slot is null)
        {
            metrics.BatchShed(shed, shed == StatusCodes.Status429TooManyRequests ? PlatesMetrics.QueueFull : PlatesMetrics.SlotTimeout);
            return Shed(http, shed, o.RetryAfterSeconds, shed == StatusCodes.Status429TooManyRequests
                ? "Too many batches are waiting on this node; send this one again after Retry-After."
                : "No ingestion slot became free in time; send this batch again after Retry-After.");
        }
        using (slot)
        {
            var body = await PlateReadsJson.ReadAsync(http.Request, ct);
            try
            {
                return TypedResults.Ok(await sender.Send(new IngestPlateReadsCommand(user.DeviceId(), body?.Reads), ct));
            }
            catch (NpgsqlException e) when (e.IsTransient)
            {
                // Rolled back, so nothing of it is stored: the reader keeps it and sends it again.
                metrics.BatchShed(StatusCodes.Status503ServiceUnavailable, PlatesMetrics.DatabaseUnavailable);
                return Shed(http, StatusCodes.Status503ServiceUnavailable, o.RetryAfterSeconds, "The database is briefly unavailable; send this batch again after Retry-After.");
            }
        }
    }

    internal static IResult Shed(HttpContext http, int status, int retryAfterSeconds, string detail)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: status, title: "Ingestion is saturated; nothing of this batch was stored.", detail: detail);
    }

    private static IResult TooLarge(long limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large.",
            detail: $"A batch body may be at most {limit} bytes; send smaller batches.");
}
