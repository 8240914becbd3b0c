using System.Diagnostics.Metrics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Plates;
using SafeCities.Modules.Plates.Features;

namespace SafeCities.Tests.Unit.Plates;

/// <summary>The admission gate and the endpoint's shedding, saturated on purpose (no database: a shed batch never reaches it).</summary>
public sealed class PlateIngestionSheddingTests
{
    private static readonly IOptions<PlatesOptions> Options = Microsoft.Extensions.Options.Options.Create(new PlatesOptions { RetryAfterSeconds = 3 });

    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
    private readonly Dictionary<PlateIngestionGate, PlatesMetrics> metrics = [];

    private PlatesMetrics Metrics(PlateIngestionGate gate) => metrics.TryGetValue(gate, out var m) ? m : metrics[gate] = new PlatesMetrics(Meters, gate);

    private static DefaultHttpContext Request(long length = 100)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = length;
        return http;
    }

    [Fact]
    public async Task A_free_slot_is_taken_and_given_back()
    {
        using var gate = new PlateIngestionGate(2, 0, TimeSpan.FromSeconds(1));
        var (a, _) = await gate.EnterAsync(default);
        var (b, _) = await gate.EnterAsync(default);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Equal(0, gate.Statistics!.CurrentAvailablePermits);
        a!.Dispose();
        b!.Dispose();
        Assert.Equal(2, gate.Statistics!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task With_every_slot_busy_and_the_queue_full_a_batch_is_shed_with_429_at_once()
    {
        using var gate = new PlateIngestionGate(1, 0, TimeSpan.FromSeconds(30));
        var (held, _) = await gate.EnterAsync(default);
        var (slot, status) = await gate.EnterAsync(default);
        Assert.Null(slot);
        Assert.Equal(429, status);

        using var shed = new MetricCollector<long>(Metrics(gate).Shed);
        var http = Request();
        var result = await PlateReadsIngestionEndpoint.HandleAsync(http, new ClaimsPrincipal(), gate, Options, null!, Metrics(gate), default);
        Assert.Equal(429, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Equal("3", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal(0, http.Request.Body.Position);   // the body was never read
        var counted = Assert.Single(shed.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Equal(429, counted.Tags["status"]);
        Assert.Equal(PlatesMetrics.QueueFull, counted.Tags["reason"]);
        held!.Dispose();
    }

    [Fact]
    public async Task A_batch_that_waits_too_long_for_a_slot_is_shed_with_503_and_the_next_one_gets_the_freed_slot()
    {
        using var gate = new PlateIngestionGate(1, 4, TimeSpan.FromMilliseconds(100));
        var (held, _) = await gate.EnterAsync(default);

        using var shed = new MetricCollector<long>(Metrics(gate).Shed);
        var http = Request();
        var result = await PlateReadsIngestionEndpoint.HandleAsync(http, new ClaimsPrincipal(), gate, Options, null!, Metrics(gate), default);
        Assert.Equal(503, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Equal("3", http.Response.Headers.RetryAfter.ToString());
        var counted = Assert.Single(shed.GetMeasurementSnapshot());
        Assert.Equal((503, PlatesMetrics.SlotTimeout), ((int)counted.Tags["status"]!, (string)counted.Tags["reason"]!));

        var waiting = gate.EnterAsync(default).AsTask();
        held!.Dispose();
        var (slot, status) = await waiting;
        Assert.NotNull(slot);
        Assert.Equal(0, status);
        slot!.Dispose();
    }

    [Fact]
    public async Task A_body_declared_larger_than_the_limit_is_refused_with_413_before_admission()
    {
        using var gate = new PlateIngestionGate(1, 0, TimeSpan.FromSeconds(1));
        using var shed = new MetricCollector<long>(Metrics(gate).Shed);
        var http = Request(Options.Value.MaxRequestBodyBytes + 1);
        var result = await PlateReadsIngestionEndpoint.HandleAsync(http, new ClaimsPrincipal(), gate, Options, null!, Metrics(gate), default);
        Assert.Equal(413, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Equal(1, gate.Statistics!.CurrentAvailablePermits);
        Assert.Empty(shed.GetMeasurementSnapshot());   // too large is refused, not shed
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        using var gate = new PlateIngestionGate(1, 0, TimeSpan.FromSeconds(1));
        var http = Request();
        http.Request.ContentType = "text/csv";
        var result = await PlateReadsIngestionEndpoint.HandleAsync(http, new ClaimsPrincipal(), gate, Options, null!, Metrics(gate), default);
        Assert.Equal(415, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }
}
