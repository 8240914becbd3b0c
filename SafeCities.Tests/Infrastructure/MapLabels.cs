using Microsoft.Playwright;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// Whether a map's shown labels (not those left out, <c>.crowded</c>) keep apart: none past the map's edge, none over another or under the
/// map's buttons and attribution, and — with
/// <c>markers</c> — none over a marker other than its own (<c>aria-describedby</c>).
/// </summary>
internal static class MapLabels
{
    /// <returns>What is wrong, in words; empty when nothing is.</returns>
    public static async Task<string> ProblemsAsync(IPage page, string mapId, string labels, bool markers)
    {
        return await page.EvaluateAsync<string>("""
            ([mapId, selector, markers]) => {
              const map = document.getElementById(mapId), edge = map.getBoundingClientRect();
              const shown = [...map.querySelectorAll(selector)].filter(e => !e.classList.contains('crowded')).map(e => ({ e, b: e.getBoundingClientRect() }));
              const spots = markers ? [...map.querySelectorAll('path.leaflet-interactive')].map(p => ({ id: p.getAttribute('aria-describedby'), b: p.getBoundingClientRect() }))
                .filter(m => m.b.bottom > edge.top && m.b.top < edge.bottom && m.b.right > edge.left && m.b.left < edge.right) : [];
              const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
              const controls = [...map.querySelectorAll('.leaflet-control')].map(c => c.getBoundingClientRect());
              const problems = shown.flatMap((l, i) => [
                ...(l.b.left < edge.left || l.b.right > edge.right || l.b.top < edge.top || l.b.bottom > edge.bottom ? [`${l.e.textContent} past the edge`] : []),
                ...shown.slice(i + 1).filter(o => over(l.b, o.b)).map(o => `${l.e.textContent} over ${o.e.textContent}`),
                ...(controls.some(c => over(l.b, c)) ? [`${l.e.textContent} under the map's buttons`] : []),
                ...spots.filter(m => m.id !== l.e.id && over(l.b, m.b)).map(() => `${l.e.textContent} over a marker`)]);
              return problems.join(' | ');
            }
            """, new object[] { mapId, labels, markers });
    }
}
