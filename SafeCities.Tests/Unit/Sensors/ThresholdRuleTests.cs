using SafeCities.Modules.Sensors.Environment;

namespace SafeCities.Tests.Unit.Sensors;

/// <summary>Threshold rules: sustained duration, hysteresis, falling rules, late readings (times given, no clock).</summary>
public sealed class ThresholdRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static ThresholdRule Aqi150For30Minutes() => new()
    {
        Name = "AQI unhealthy", Quantity = ThresholdRule.Aqi, Threshold = 151, ClearLevel = 120, SustainedSeconds = 1800, Severity = "high", UpdatedBy = "t",
    };

    private static List<(int Minute, ThresholdTransition What, string State)> Run(ThresholdRule rule, params (int Minute, double Value)[] values)
    {
        var state = new ThresholdRuleState();
        return values.Select(v =>
        {
            var what = ThresholdRuleEvaluator.Step(rule, state, T0.AddMinutes(v.Minute), v.Value);
            return (v.Minute, what, state.State);
        }).ToList();
    }

    [Fact]
    public void A_value_must_stay_beyond_the_threshold_for_the_sustained_duration_before_it_crosses_once()
    {
        var steps = Run(Aqi150For30Minutes(), (0, 160), (10, 170), (29, 155), (30, 152), (40, 180), (50, 200));
        Assert.Equal([ThresholdTransition.None, ThresholdTransition.None, ThresholdTransition.None, ThresholdTransition.Crossed,
            ThresholdTransition.None, ThresholdTransition.None], steps.Select(s => s.What));
        Assert.Equal(ThresholdStates.Crossed, steps[^1].State);
    }

    [Fact]
    public void A_dip_below_the_threshold_before_the_duration_restarts_the_wait()
    {
        var steps = Run(Aqi150For30Minutes(), (0, 160), (20, 140), (25, 160), (50, 160), (55, 170));
        Assert.DoesNotContain(ThresholdTransition.Crossed, steps.Take(4).Select(s => s.What));
        Assert.Equal(ThresholdTransition.Crossed, steps[^1].What); // 30 minutes after minute 25
    }

    [Fact]
    public void Between_the_threshold_and_the_clear_level_a_crossed_rule_stays_crossed_and_clears_below_it()
    {
        var steps = Run(Aqi150For30Minutes(), (0, 160), (30, 160), (40, 140), (50, 125), (60, 119), (70, 130));
        Assert.Equal([ThresholdTransition.None, ThresholdTransition.Crossed, ThresholdTransition.None, ThresholdTransition.None, ThresholdTransition.Cleared,
            ThresholdTransition.None], steps.Select(s => s.What));
        Assert.Equal(ThresholdStates.Normal, steps[^1].State);
    }

    [Fact]
    public void A_falling_rule_watches_values_below_its_threshold_and_a_zero_duration_crosses_at_once()
    {
        var burst = new ThresholdRule { Name = "Pressure loss", Quantity = "pipe_pressure", Above = false, Threshold = 200, ClearLevel = 300, SustainedSeconds = 0,
            Severity = "high", UpdatedBy = "t" };
        var steps = Run(burst, (0, 420), (1, 190), (2, 150), (3, 250), (4, 310));
        Assert.Equal([ThresholdTransition.None, ThresholdTransition.Crossed, ThresholdTransition.None, ThresholdTransition.None, ThresholdTransition.Cleared],
            steps.Select(s => s.What));
    }

    [Fact]
    public void A_late_reading_does_not_rewind_the_state_and_each_crossing_has_its_own_id()
    {
        var rule = Aqi150For30Minutes();
        rule.SustainedSeconds = 0;
        var state = new ThresholdRuleState();
        Assert.Equal(ThresholdTransition.Crossed, ThresholdRuleEvaluator.Step(rule, state, T0, 200));
        var first = state.CrossingId;
        Assert.Equal(ThresholdTransition.None, ThresholdRuleEvaluator.Step(rule, state, T0.AddMinutes(-5), 10));
        Assert.Equal(ThresholdStates.Crossed, state.State);
        Assert.Equal(ThresholdTransition.Cleared, ThresholdRuleEvaluator.Step(rule, state, T0.AddMinutes(1), 10));
        Assert.Equal(ThresholdTransition.Crossed, ThresholdRuleEvaluator.Step(rule, state, T0.AddMinutes(2), 300));
        Assert.NotEqual(first, state.CrossingId);
    }
}
