using Microsoft.Playwright;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// Whether a page fits its screen, above all a phone's: nothing scrolls sideways, no table is cut off at a phone's edge (there a
/// table stacks, <c>.table-stack</c>; only the heat maps, hour × weekday and distance × days, keep their grid and scroll), and no box is
/// squeezed narrower than a short word in it, breaking it other than at its hyphens (stacked cells break words anywhere rather than scroll:
/// "JSON" became a column of letters).
/// </summary>
internal static class PageFit
{
    /// <returns>What does not fit, in words; empty when the page fits.</returns>
    public static async Task<List<string>> ProblemsAsync(IPage page)
    {
        var problems = new List<string>();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow > 1)
            problems.Add($"the page scrolls sideways by {overflow} px");
        problems.AddRange((await page.EvaluateAsync<string[]>(CutTables)).Select(t => $"a table scrolls sideways inside the page: {t}"));
        problems.AddRange((await page.EvaluateAsync<string[]>(Squeezed)).Select(w => $"a short word broken over lines, its box too narrow: {w}"));
        return problems;
    }

    /// <summary>On a phone only (below 576 px, where <c>.table-stack</c> stacks): a wide screen may scroll a wide table in its box.</summary>
    private const string CutTables = """
        () => innerWidth >= 576 ? [] : [...document.querySelectorAll('.table-responsive')].filter(d => d.getBoundingClientRect().width > 0 && d.scrollWidth > d.clientWidth + 1
          && !d.querySelector('.heat-table, .nr-table')).map(d => `#${d.querySelector('table')?.id} ${d.scrollWidth} px in ${d.clientWidth} px`)
        """;

    /// <summary>Visible text leaves (and summaries) holding one word of at most 12 characters whose text runs on more lines than its hyphens allow.</summary>
    private const string Squeezed = """
        () => [...document.querySelectorAll('body *')].filter(e => e.childElementCount === 0 || e.tagName === 'SUMMARY').flatMap(e => {
          const text = e.innerText?.trim() ?? '';
          if (text.length < 3 || text.length > 12 || /\s/.test(text) || e.getBoundingClientRect().width === 0) return [];
          // The lines the word's own text runs on (a badge's box beside it is not a line).
          const tops = [];
          for (const node of e.childNodes) {
            if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const r of range.getClientRects())
              if (r.width > 0 && !tops.some(t => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
          }
          // A hyphenated word may break at its hyphens ("view-" / "person" in a narrow column); more lines than that is a squeeze.
          return tops.length > 1 + (text.match(/-/g) ?? []).length ? [`<${e.tagName.toLowerCase()}> "${text}" on ${tops.length} lines, ${Math.round(e.getBoundingClientRect().width)} px wide`] : [];
        })
        """;
}
