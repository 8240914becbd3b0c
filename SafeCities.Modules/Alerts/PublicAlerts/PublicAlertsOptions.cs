namespace SafeCities.Modules.Alerts.PublicAlerts;

/// <summary>Public alerts in CAP 1.2 (appsettings <c>Alerts:PublicAlerts</c>; README, Configuration).</summary>
internal sealed class PublicAlertsOptions
{
    public const string Section = "Alerts:PublicAlerts";

    /// <summary>A second authorised person (commander or administrator) must approve a draft before it is issued; the author never can.</summary>
    public bool TwoPersonRule { get; set; } = true;

    /// <summary>Shape every message for the FEMA IPAWS profile: WEA texts (CMAMtext ≤ 90, CMAMlongtext ≤ 360), a SAME event code and geocode,
    /// polygons of at most 100 points, <c>expires</c> required.</summary>
    public bool IpawsProfile { get; set; }

    /// <summary>CAP <c>sender</c>: the agency's unique originator id (no spaces, commas or &lt; &amp;).</summary>
    public string Sender { get; set; } = "rtcc@safecities.invalid";

    /// <summary>CAP <c>senderName</c>: the agency as the public reads it.</summary>
    public string SenderName { get; set; } = "SafeCities Real-Time Crime Center";

    /// <summary>CAP <c>status</c>: Actual in production; Exercise or Test for drills (receivers then do not alert the public).</summary>
    public string Status { get; set; } = "Actual";

    /// <summary>The public site's absolute root (<c>https://alerts.city.gov/</c>) written into the feed's links; empty: the request's scheme and
    /// host (right behind a proxy that passes the public host, README "Behind a TLS proxy").</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>IPAWS: the SAME geocode (6-digit FIPS, e.g. 011001 = District of Columbia) of the area the agency alerts.</summary>
    public string IpawsSameGeocode { get; set; } = "011001";

    /// <summary>IPAWS: the SAME event code (LEW = law enforcement warning, CEM = civil emergency, LAE = local area emergency).</summary>
    public string IpawsEventCode { get; set; } = "LEW";
}
