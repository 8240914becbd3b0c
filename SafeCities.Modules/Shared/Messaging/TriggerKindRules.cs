using System.Linq.Expressions;

namespace SafeCities.Modules.Shared.Messaging;

/// <summary>The one rule for the incident kinds a module's reaction settings list (Lighting, Video, Plates).</summary>
internal static class TriggerKindRules
{
    /// <summary>
    /// Each listed kind must be one of <paramref name="known"/> (error on <c>TriggerKinds[i]</c>, naming the kind) and listed once: a repeat is
    /// refused, naming the repeated kind (error on <c>TriggerKinds</c>), never dropped silently. Whether the list may be empty is the module's call.
    /// </summary>
    public static void KnownKindsEachOnce<T>(this AbstractValidator<T> validator, Expression<Func<T, IEnumerable<string>>> kinds, IReadOnlyList<string> known)
    {
        validator.RuleFor(kinds).Custom((list, context) =>
        {
            var twice = list?.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList() ?? [];
            if (twice.Count > 0)
                context.AddFailure($"{string.Join(", ", twice)} is listed more than once; list each incident kind once.");
        });
        validator.RuleForEach(kinds).Must(k => known.Contains(k))
            .WithMessage((_, k) => $"'{k}' is not an incident kind; known: {string.Join(", ", known)}.");
    }
}
