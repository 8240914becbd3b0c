using System.Reflection;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Tests.Unit;

public sealed class AdvisoryLocksTests
{
    private static readonly FieldInfo[] Keys = typeof(AdvisoryLocks).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToArray();

    [Fact]
    public void Every_single_key_lock_has_its_own_key()
    {
        var keys = Keys.Where(f => f.FieldType == typeof(long)).Select(f => (long)f.GetRawConstantValue()!).ToList();
        Assert.True(keys.Count >= 8, $"expected the single-key locks, found {keys.Count}");
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Every_two_key_lock_class_is_its_own()
    {
        var classes = Keys.Where(f => f.FieldType == typeof(int)).Select(f => (int)f.GetRawConstantValue()!).ToList();
        Assert.NotEmpty(classes);
        Assert.Equal(classes.Count, classes.Distinct().Count());
    }

    [Fact]
    public void Every_key_is_an_advisory_lock_key_type() =>
        Assert.All(Keys, f => Assert.True(f.FieldType == typeof(long) || f.FieldType == typeof(int), $"{f.Name} is a {f.FieldType.Name}"));
}
