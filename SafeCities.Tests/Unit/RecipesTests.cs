using System.Text.RegularExpressions;

namespace SafeCities.Tests.Unit;

/// <summary>docs/RECIPES.md names files, pages and code; each must exist, so the recipe cannot drift from the code it describes.</summary>
public sealed partial class RecipesTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    private static readonly Lazy<string> AllCode = new(() => string.Join('\n', Directory.GetFiles(Root, "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Select(File.ReadAllText)));

    private static IEnumerable<string> Spans() => Code().Matches(File.ReadAllText(Path.Combine(Root, "docs", "RECIPES.md"))).Select(m => m.Groups[1].Value);

    [Fact]
    public void Every_file_and_page_the_recipes_name_exists()
    {
        var paths = Spans().Where(s => !s.Contains(' ') && !s.Contains('<') && !s.Contains('…') && (s.StartsWith("SafeCities.", StringComparison.Ordinal) || s.StartsWith("docs/", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.True(File.Exists(Path.Combine(Root, p)) || Directory.Exists(Path.Combine(Root, p)), $"{p} does not exist"));
        var pages = Spans().Where(s => s.StartsWith('/') && !s.Contains(' ')).ToList();
        Assert.All(pages, p => Assert.True(File.Exists(Path.Combine(Root, "SafeCities.Web", "Pages", p.TrimStart('/') + ".cshtml")), $"page {p} does not exist"));
    }

    [Fact]
    public void Every_type_and_method_the_recipes_name_is_in_the_code()
    {
        var names = Spans().Where(s => !s.StartsWith("SafeCities.", StringComparison.Ordinal) && !s.StartsWith("docs/", StringComparison.Ordinal))
            .SelectMany(s => Identifier().Matches(s).Select(m => m.Value)).Distinct().ToList();
        Assert.Contains("AddOutboxMessage", names);
        Assert.All(names, n => Assert.True(Regex.IsMatch(AllCode.Value, $@"\b{n}\b"), $"{n} is named in docs/RECIPES.md but not found in the code"));
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    // Type and member names: an upper-case letter, then letters or digits (4 characters or more).
    [GeneratedRegex(@"(?<![""\w])[A-Z][A-Za-z0-9]{3,}")]
    private static partial Regex Identifier();
}
