using System.Text.Json;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace SafeCities.Web.Platform.PageData;

/// <summary>
/// <c>&lt;json-data id="x" value="Model.Y" /&gt;</c> renders <c>&lt;script type="application/json" id="x"&gt;…&lt;/script&gt;</c>: what a page's
/// script reads at load (<c>JSON.parse(document.getElementById('x').textContent)</c>), serialised with the web defaults (camelCase) and with every
/// <c>&lt;</c> escaped so that no value can close the element. A data block, not a script: the Content-Security-Policy does not run it. The one
/// way pages hand data to their scripts. Public because Razor finds only public tag helpers.
/// </summary>
[HtmlTargetElement("json-data", TagStructure = TagStructure.WithoutEndTag)]
public sealed class JsonDataTagHelper : TagHelper
{
    public object? Value { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = "script";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.Insert(0, new TagHelperAttribute("type", "application/json"));
        output.Content.SetHtmlContent(JsonSerializer.Serialize(Value, JsonSerializerOptions.Web).Replace("<", "\\u003c"));
    }
}
