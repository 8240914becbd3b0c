using System.Collections.Frozen;

namespace SafeCities.Modules.Shared.Outbox;

/// <summary>The message types an outbox row may name: every <see cref="IOutboxMessage"/> of the modules, by full name (never a type named by data alone).</summary>
public static class OutboxMessageTypes
{
    public static readonly FrozenDictionary<string, Type> All = typeof(IOutboxMessage).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IOutboxMessage).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.FullName!, StringComparer.Ordinal);
}
