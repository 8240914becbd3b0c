using Microsoft.AspNetCore.Mvc.ModelBinding;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Web.Platform.Clock;

/// <summary>The city's clock (<see cref="CityClock"/>, Shared) applied to a page's form fields.</summary>
internal static class CityClockForms
{
    /// <summary>A form field's city time as an instant (<see cref="CityClock.FromLocal(DateTime)"/>); a skipped time is the field's error.</summary>
    public static DateTimeOffset? FromLocal(this CityClock clock, DateTime? local, ModelStateDictionary modelState, string field)
    {
        if (local is not { } wall)
            return null;
        var instant = clock.FromLocal(wall);
        if (instant is null)
            modelState.AddModelError(field, CityClock.Skipped(wall.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        return instant;
    }
}
