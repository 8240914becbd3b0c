extern alias verify;
using System.Text;
using Format = verify::SafeCities.AuditVerify.AuditChainFormat;

namespace SafeCities.Tests.Unit;

/// <summary>
/// The canonical form of a day's agency list (ADR 0055), pinned to a vector computed outside .NET (Python: rows sorted by the UTF-16 code units of
/// agency, kind and data class; lengths in UTF-8 bytes), so a change to the bytes — which would break every signed day — cannot pass unnoticed,
/// and a verifier written elsewhere has something to test against.
/// </summary>
public sealed class AgencyReadsFormatTests
{
    private static readonly DateOnly Day = new(2026, 12, 3);

    // Given out of order; "Ärzte Amt" sorts after "Zeta PD" ordinally (U+00C4 > U+005A) and takes 10 UTF-8 bytes for 9 characters.
    private static readonly Format.AgencyReadsRow[] Rows =
    [
        new("Zeta PD", "police", "plates", 2, 7), new("Ärzte Amt", "court", "persons", 1, 1), new("Zeta PD", "police", "persons", 3, 9),
    ];

    [Fact]
    public void The_content_is_the_header_then_one_sorted_length_prefixed_line_per_row()
    {
        Assert.Equal("safecities-agency-reads-v1\n2026-12-03\n7:Zeta PD,6:police,7:persons,3,9\n7:Zeta PD,6:police,6:plates,2,7\n10:Ärzte Amt,5:court,7:persons,1,1\n",
            Encoding.UTF8.GetString(Format.AgencyReadsContent(Day, Rows)));
        Assert.Equal("ed83443998870373ea87081f84cd9dc50e5ab059b6f22184490fd51ffe0cb06a", Format.AgencyReadsDigest(Day, Rows));
        Assert.Equal("ed83443998870373ea87081f84cd9dc50e5ab059b6f22184490fd51ffe0cb06a", Format.AgencyReadsDigest(Day, Rows.Reverse()));   // order given does not matter
        Assert.Equal("safecities-agency-reads-anchor-v1\n2026-12-03\ned83443998870373ea87081f84cd9dc50e5ab059b6f22184490fd51ffe0cb06a\n",
            Encoding.UTF8.GetString(Format.AgencyReadsAnchorMessage(Day, Format.AgencyReadsDigest(Day, Rows))));
    }

    [Fact]
    public void A_name_cannot_pose_as_two_fields_and_any_change_moves_the_digest()
    {
        // Fields are length-prefixed: a comma or a colon inside a name cannot shift what the next field is.
        Assert.NotEqual(Format.AgencyReadsDigest(Day, [new("A,5:court", "x", "persons", 1, 1)]), Format.AgencyReadsDigest(Day, [new("A", "court", "persons", 1, 1)]));
        var digest = Format.AgencyReadsDigest(Day, Rows);
        Assert.NotEqual(digest, Format.AgencyReadsDigest(Day.AddDays(1), Rows));
        Assert.NotEqual(digest, Format.AgencyReadsDigest(Day, Rows[1..]));
        Assert.NotEqual(digest, Format.AgencyReadsDigest(Day, [Rows[0] with { Items = 8 }, Rows[1], Rows[2]]));
        Assert.NotEqual(Format.AgencyReadsDigest(Day, []), digest);
        Assert.Equal("safecities-agency-reads-v1\n2026-12-03\n", Encoding.UTF8.GetString(Format.AgencyReadsContent(Day, [])));   // a day nobody read
    }
}
