using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SafeCities.Web;

namespace SafeCities.Tests.Unit;

/// <summary>The one rule by which the pages turn a refused command into form errors.</summary>
public sealed class ModelStateValidationTests
{
    [Fact]
    public void Errors_go_next_to_the_posted_field_they_name_without_the_list_index()
    {
        var state = Posted("Input.TriggerKinds", "Input.RadiusMeters");
        state.AddValidationErrors(new ValidationException([
            new ValidationFailure("TriggerKinds[1]", "'fire' is not an incident kind."), new ValidationFailure("RadiusMeters", "too far"),
            new ValidationFailure("RadiusMeters", "too far")]), "Input");

        Assert.Equal(["'fire' is not an incident kind."], Messages(state, "Input.TriggerKinds"));
        Assert.Equal(["too far"], Messages(state, "Input.RadiusMeters"));
        Assert.False(state.ContainsKey(""));
    }

    [Fact]
    public void An_error_about_what_the_form_did_not_post_goes_above_the_form_named_by_its_field()
    {
        var state = Posted("Input.Name");
        state.AddValidationErrors(new ValidationException([
            new ValidationFailure("Settings.FieldOfViewDegrees", "must be below 360"), new ValidationFailure("", "Give exactly one."),
            new ValidationFailure("Device.Name", "must not be empty")]), "Input");

        Assert.Equal(["settings.fieldOfViewDegrees: must be below 360", "Give exactly one."], Messages(state, ""));
        Assert.Equal(["must not be empty"], Messages(state, "Input.Name"));
    }

    [Fact]
    public void Without_a_prefix_errors_go_under_the_page_property_they_name()
    {
        var state = Posted("Purpose");
        state.AddValidationErrors(new ValidationException([new ValidationFailure("Purpose", "Say why.")]));
        Assert.Equal(["Say why."], Messages(state, "Purpose"));
    }

    private static ModelStateDictionary Posted(params string[] keys)
    {
        var state = new ModelStateDictionary();
        foreach (var key in keys)
            state.SetModelValue(key, "x", "x");
        return state;
    }

    private static string[] Messages(ModelStateDictionary state, string key) => state[key]!.Errors.Select(e => e.ErrorMessage).ToArray();
}
