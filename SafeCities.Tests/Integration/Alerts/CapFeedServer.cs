using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>
/// Another authority's web server, for the CAP feed tests: a real Kestrel on a free local port serving the documents put in
/// <see cref="Documents"/> with a strong ETag (answering 304 to a matching <c>If-None-Match</c>), and recording every request.
/// </summary>
internal sealed class CapFeedServer : IAsyncDisposable
{
    private readonly WebApplication web;

    private CapFeedServer(WebApplication web) => this.web = web;

    /// <summary>Path → (status, content type, body).</summary>
    public ConcurrentDictionary<string, (int Status, string ContentType, string Body)> Documents { get; } = new();

    public ConcurrentQueue<(string Path, string? IfNoneMatch, int Status)> Requests { get; } = new();

    public string Url(string path) => web.Urls.First() + path;

    public int Hits(string path) => Requests.Count(r => r.Path == path);

    public static async Task<CapFeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new CapFeedServer(builder.Build());
        server.web.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
            if (!server.Documents.TryGetValue(path, out var document))
                document = (404, "text/plain", "not found");
            var etag = $"\"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.Body)))[..16]}\"";
            var status = document.Status == 200 && ifNoneMatch == etag ? 304 : document.Status;
            server.Requests.Enqueue((path, ifNoneMatch.Length == 0 ? null : ifNoneMatch, status));
            context.Response.StatusCode = status;
            if (document.Status == 200)
                context.Response.Headers.ETag = etag;
            if (status != 304)
            {
                context.Response.ContentType = document.ContentType;
                await context.Response.WriteAsync(document.Body);
            }
        });
        await server.web.StartAsync();
        return server;
    }

    public void Put(string path, string body, string contentType = "application/cap+xml", int status = 200) => Documents[path] = (status, contentType, body);

    /// <summary>An Atom feed whose entries link to CAP messages (type application/cap+xml), as weather services publish them.</summary>
    public static string Atom(params (string Id, DateTimeOffset Updated, string Href)[] entries) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <id>urn:test:feed</id><title>County alerts</title><updated>{DateTimeOffset.UtcNow:O}</updated>
          {string.Concat(entries.Select(e => $"""
            <entry><id>{e.Id}</id><title>Alert {e.Id}</title><updated>{e.Updated:O}</updated>
              <link rel="alternate" type="application/cap+xml" href="{e.Href}"/></entry>
            """))}
        </feed>
        """;

    /// <summary>An RSS 2.0 channel whose items carry the CAP message as an enclosure.</summary>
    public static string Rss(params (string Guid, string Url)[] items) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>City alerts</title><link>http://example.test/</link><description>Alerts</description>
          {string.Concat(items.Select(i => $"""<item><title>{i.Guid}</title><guid>{i.Guid}</guid><enclosure url="{i.Url}" type="application/cap+xml" length="1"/></item>"""))}
        </channel></rss>
        """;

    public async ValueTask DisposeAsync()
    {
        await web.StopAsync();
        await web.DisposeAsync();
    }
}
