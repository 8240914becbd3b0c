using FluentValidation;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Features;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Features;

namespace SafeCities.Tests.Unit;

/// <summary>The three reaction-settings slices follow one rule for the incident kinds they list.</summary>
public sealed class TriggerKindRulesTests
{
    public static TheoryData<string> Modules => ["lighting", "video", "plates"];

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_kind_listed_twice_is_refused_naming_it(string module)
    {
        var errors = Validate(module, ["gunshot", "gunshot"]);
        var error = Assert.Single(errors);
        Assert.Equal("TriggerKinds", error.PropertyName);
        Assert.Equal("'gunshot' is listed more than once; list each incident kind once.", error.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void An_unknown_kind_is_refused_naming_it(string module)
    {
        var error = Assert.Single(Validate(module, ["gunshot", "fireworks"]));
        Assert.Equal("TriggerKinds[1]", error.PropertyName);
        Assert.StartsWith("'fireworks' is not an incident kind; known: gunshot", error.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_known_kind_listed_once_passes(string module) => Assert.Empty(Validate(module, ["gunshot"]));

    private static IList<FluentValidation.Results.ValidationFailure> Validate(string module, string[] kinds) => module switch
    {
        "lighting" => new UpdateLightingReactionSettingsCommandValidator().Validate(new UpdateLightingReactionSettingsCommand(kinds, 150, 100, 15, "admin")).Errors,
        "video" => new UpdateVideoReactionSettingsCommandValidator().Validate(new UpdateVideoReactionSettingsCommand(kinds, 30, 5, 10, "admin")).Errors,
        _ => new UpdatePlatesReactionSettingsCommandValidator().Validate(new UpdatePlatesReactionSettingsCommand(kinds, 500, 10, 30, 1000, "admin")).Errors,
    };
}
