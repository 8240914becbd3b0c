using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Web.Platform;

namespace SafeCities.Tests.Unit;

public sealed class PlatformUnitTests
{
    [Theory]
    [InlineData("Latitude", "latitude")]
    [InlineData("Device.Latitude", "latitude")]
    [InlineData("Settings.StreamUrl", "settings.streamUrl")]
    [InlineData("Device.Name", "name")]
    public void Validation_errors_are_keyed_by_the_json_field(string property, string field) =>
        Assert.Equal(field, ProblemDetailsExceptionHandler.FieldName(property));

    [Fact]
    public void Errors_are_grouped_per_field()
    {
        var errors = ProblemDetailsExceptionHandler.Errors(new ValidationException([
            new ValidationFailure("Device.Latitude", "a"), new ValidationFailure("Device.Latitude", "b"), new ValidationFailure("Rounds", "c")]));
        Assert.Equal(["a", "b"], errors["latitude"]);
        Assert.Equal(["c"], errors["rounds"]);
    }

    [Fact]
    public void Geo_offset_and_distance_agree()
    {
        var (lat, lon) = GeoMath.Offset(38.8951, -77.0364, 1234, 63);
        Assert.InRange(GeoMath.DistanceMeters(38.8951, -77.0364, lat, lon), 1233.5, 1234.5);
        Assert.InRange(GeoMath.BearingDegrees(38.8951, -77.0364, lat, lon), 62.9, 63.1);
        // Washington Monument → U.S. Capitol is about 2.1 km, roughly due east.
        Assert.InRange(GeoMath.DistanceMeters(38.8895, -77.0353, 38.8899, -77.0091), 2200, 2320);
    }

    private sealed record Ping : INotification;

    private sealed class Recorder(List<string> log, string name, bool fail) : INotificationHandler<Ping>
    {
        public ValueTask Handle(Ping notification, CancellationToken cancellationToken)
        {
            log.Add(name);
            return fail ? throw new InvalidOperationException(name + " broke") : ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task One_failing_reaction_does_not_stop_the_others_and_is_still_reported()
    {
        var log = new List<string>();
        var handlers = new NotificationHandlers<Ping>([new Recorder(log, "a", false), new Recorder(log, "b", true), new Recorder(log, "c", false)], isArray: false);

        var error = await Assert.ThrowsAsync<NotificationHandlerException>(async () => await new RunEveryHandlerPublisher().Publish(handlers, new Ping(), default));

        Assert.Equal(["a", "b", "c"], log);
        Assert.Contains("b broke", error.Message);
    }

    private sealed class SlowAnalysis(List<string> log, string name) : INotificationHandler<Ping>, IRunsAfterReactions
    {
        public ValueTask Handle(Ping notification, CancellationToken cancellationToken)
        {
            log.Add(name);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task An_analysis_runs_after_every_reaction_of_the_same_notification_whatever_the_registration_order()
    {
        var log = new List<string>();
        var handlers = new NotificationHandlers<Ping>([new SlowAnalysis(log, "analysis"), new Recorder(log, "lights", false), new SlowAnalysis(log, "second analysis"),
            new Recorder(log, "cameras", false)], isArray: false);

        await new RunEveryHandlerPublisher().Publish(handlers, new Ping(), default);

        Assert.Equal(["lights", "cameras", "analysis", "second analysis"], log);
    }

    [Fact]
    public async Task Several_failures_are_rethrown_together()
    {
        var log = new List<string>();
        var handlers = new NotificationHandlers<Ping>([new Recorder(log, "a", true), new Recorder(log, "b", true)], isArray: false);
        var error = await Assert.ThrowsAsync<AggregateException>(async () => await new RunEveryHandlerPublisher().Publish(handlers, new Ping(), default));
        Assert.Equal(2, error.InnerExceptions.Count);
    }

    [Fact]
    public async Task Health_check_is_unhealthy_when_the_database_cannot_be_reached()
    {
        // Port 1 on loopback: nothing listens there.
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=x;Username=x;Password=x;Timeout=2");
        var result = await new DatabaseHealthCheck(dataSource).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public void A_flood_of_bulk_outbox_messages_neither_queues_ahead_of_a_reaction_nor_crowds_it_out()
    {
        var dispatcher = new OutboxDispatcher(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxDispatcher>.Instance);
        var reaction = new Ping();
        static OutboxMessage Message(Ping ping, OutboxLane lane) => new() { Id = Guid.CreateVersion7(), Notification = ping, Lane = lane };
        for (var i = 0; i < 12_000; i++)   // more than the live channel holds: the surplus waits for the sweep
            dispatcher.Post(typeof(object), Message(new Ping(), OutboxLane.Bulk));
        dispatcher.Post(typeof(object), Message(reaction, OutboxLane.Reactions));

        Assert.True(dispatcher.Reader(OutboxLane.Reactions).TryRead(out var first));
        Assert.Same(reaction, first!.Message.Notification);
        Assert.False(dispatcher.Reader(OutboxLane.Reactions).TryRead(out _));
        var bulk = 0;
        while (dispatcher.Reader(OutboxLane.Bulk).TryRead(out var pending))
        {
            Assert.NotSame(reaction, pending.Message.Notification);
            bulk++;
        }
        Assert.Equal(10_000, bulk);
    }
}
