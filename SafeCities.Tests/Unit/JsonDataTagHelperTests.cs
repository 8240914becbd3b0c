using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Razor.TagHelpers;
using SafeCities.Web.Platform.PageData;

namespace SafeCities.Tests.Unit;

/// <summary>The one way pages hand data to their scripts: a JSON data block that no value can close, camelCase as the API.</summary>
public sealed class JsonDataTagHelperTests
{
    private static string Render(object? value, string id)
    {
        var attributes = new TagHelperAttributeList { new TagHelperAttribute("id", id) };
        var context = new TagHelperContext("json-data", attributes, new Dictionary<object, object>(), "unique");
        var output = new TagHelperOutput("json-data", attributes, (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        new JsonDataTagHelper { Value = value }.Process(context, output);
        using var writer = new StringWriter();
        output.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    [Fact]
    public void A_value_that_would_close_the_element_is_escaped_and_reads_back_unchanged()
    {
        var name = "Cam </script><script>alert(1)</script> <!-- x";
        var html = Render(new[] { new { Name = name, Latitude = 38.9 } }, "camera-data");

        const string open = "<script type=\"application/json\" id=\"camera-data\">";
        Assert.StartsWith(open, html);
        Assert.EndsWith("</script>", html);
        var content = html[open.Length..^"</script>".Length];
        Assert.DoesNotContain("<", content);
        var parsed = JsonNode.Parse(content)!.AsArray();
        Assert.Equal(name, parsed[0]!["name"]!.GetValue<string>());
        Assert.Equal(38.9, parsed[0]!["latitude"]!.GetValue<double>());
    }
}
