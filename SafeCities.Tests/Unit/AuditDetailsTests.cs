using SafeCities.Modules.Shared.Time;
using SafeCities.Web.Pages.Audit;

namespace SafeCities.Tests.Unit;

/// <summary>An audit entry's details as oversight reads them on the audit page: fields as words, instants in the city's time.</summary>
public sealed class AuditDetailsTests
{
    [Fact]
    public void Fields_read_as_words_instants_in_city_time_lists_as_counts_and_yes_or_no_for_a_flag()
    {
        var summary = AuditDetails.Summary("""
            {"from":"2026-12-07T07:23:00+00:00","system":false,"approved":true,"plates":["A","B"],"limit":50,"actor":null,"after":{"a":1,"b":2}}
            """, new CityClock("America/New_York"));
        Assert.Equal("from: 2026-12-07 02:23 EST · system: no · approved: yes · plates: 2 items · limit: 50 · after: {2 fields}", summary);
    }
}
