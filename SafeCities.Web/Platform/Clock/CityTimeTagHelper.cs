using Microsoft.AspNetCore.Razor.TagHelpers;

namespace SafeCities.Web.Platform.Clock;

/// <summary>
/// <c>&lt;city-time at="@x" format="DateTime" /&gt;</c> renders <c>&lt;time datetime="ISO 8601" title="… UTC"&gt;14:03 EST&lt;/time&gt;</c>: a time in the
/// city's zone, labelled, UTC on hover; nothing when <c>at</c> is null. The one way pages show a time.
/// Public (with <see cref="CityClock"/>) because Razor finds only public tag helpers.
/// </summary>
[HtmlTargetElement("city-time", TagStructure = TagStructure.WithoutEndTag)]
public sealed class CityTimeTagHelper(CityClock clock) : TagHelper
{
    public DateTimeOffset? At { get; set; }

    public CityTimeFormat Format { get; set; } = CityTimeFormat.Time;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (At is not { } at)
        {
            output.SuppressOutput();
            return;
        }
        output.TagName = "time";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("datetime", at.ToString("O"));
        output.Attributes.SetAttribute("title", CityClock.UtcText(at));
        output.Content.SetContent(clock.Format(at, Format));
    }
}
