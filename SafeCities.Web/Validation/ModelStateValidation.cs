using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web;

/// <summary>The one way a page model turns a refused command or query (<see cref="ValidationException"/>) into form errors.</summary>
internal static class ModelStateValidation
{
    /// <summary>
    /// Adds each error under the field it names, as the API names it (<see cref="ValidationErrors.ByField"/>), below
    /// <paramref name="prefix"/> (the bound input model, e.g. <c>Input</c>), spelt as the form spells it and without a list index
    /// (<c>triggerKinds[1]</c> → <c>Input.TriggerKinds</c>): the error then shows next to that field. An error about something the form did not post
    /// (the actor, a nested setting) goes above the form (key ""), led by its field name so that the reader knows what it is about.
    /// </summary>
    public static void AddValidationErrors(this ModelStateDictionary modelState, ValidationException ex, string prefix = "")
    {
        foreach (var (field, messages) in ValidationErrors.ByField(ex))
        {
            var name = string.Join('.', field.Split('[')[0].Split('.').Select(s => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..]));
            var key = prefix.Length == 0 || name.Length == 0 ? name : $"{prefix}.{name}";
            var onForm = key.Length > 0 && modelState.ContainsKey(key);
            foreach (var message in messages)
                modelState.AddModelError(onForm ? key : "", onForm || field.Length == 0 ? message : $"{field}: {message}");
        }
    }
}
