using Microsoft.Playwright;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// Whether a page fits its screen, above all a phone's: nothing scrolls sideways, no table is cut off at a phone's edge (there a
/// table stacks, <c>.table-stack</c>; only the heat maps, hour × weekday and distance × days, keep their grid and scroll), and no box is
/// squeezed narrower than a short word in it, breaking it other than at its hyphens (stacked cells break words anywhere rather than scroll:
/// "JSON" became a column of letters), nor a stacked cell's part squeezed beside its other parts ("2026-12-07 13:34 EST" and "by
/// demo-city" each ran on two lines in a column of its own).
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
        problems.AddRange((await page.EvaluateAsync<string[]>(SqueezedParts)).Select(p => $"a stacked cell's part squeezed beside the others: {p}"));
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

    /// <summary>
    /// On a phone only: in a stacked table's cell of several parts (elements and text), a part that runs on more than one line in less
    /// than 60 % of the cell's room — laid out as a column beside its siblings instead of flowing after them as text does.
    /// </summary>
    private const string SqueezedParts = """
        () => innerWidth >= 576 ? [] : [...document.querySelectorAll('.table-stack td')].filter(td => td.getClientRects().length > 0).flatMap(td => {
          const style = getComputedStyle(td);
          const room = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const line = parseFloat(style.lineHeight) || 1.5 * parseFloat(style.fontSize);
          const parts = [...td.childNodes].filter(n => n.nodeType === Node.ELEMENT_NODE ? n.getClientRects().length > 0 : n.nodeType === Node.TEXT_NODE && n.textContent.trim());
          if (parts.length < 2) return [];
          const box = n => { if (n.nodeType === Node.ELEMENT_NODE) return n.getBoundingClientRect(); const r = document.createRange(); r.selectNodeContents(n); return r.getBoundingClientRect(); };
          const squeezed = parts.find(n => { const b = box(n); return b.height > 1.8 * line && b.width < 0.6 * room; });
          return squeezed ? [`${td.dataset.label ?? '(no label)'}: "${squeezed.textContent.trim().replace(/\s+/g, ' ').slice(0, 40)}" ${Math.round(box(squeezed).width)} px wide in ${Math.round(room)} px`] : [];
        })
        """;
}
