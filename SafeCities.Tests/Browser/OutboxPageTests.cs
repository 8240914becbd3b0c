using Microsoft.Playwright;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Tests.Browser;

/// <summary>An administrator finds a failed outbox message on /Admin/Outbox (desktop and phone), reads its error and sends it again.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class OutboxPageTests(AppFixture app) : BrowserTest
{
    [Theory]
    [InlineData("desktop", 1440, 900)]
    [InlineData("phone", 390, 844)]
    public async Task An_administrator_sees_a_failed_message_with_its_error_and_sends_it_again(string name, int width, int height)
    {
        var id = Guid.CreateVersion7();
        await app.ExecuteAsync($"""
            INSERT INTO alerts.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts, failed_at, last_error)
            VALUES ('{id}', '{typeof(IncidentOpenedEvent).FullName}', '"unreadable"', now() - interval '20 minutes', now() + interval '1 hour', 10, now(),
                    'System.Text.Json.JsonException: The JSON value could not be converted to IncidentOpenedEvent.')
            """);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, Users.Admin);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        if (width < 600)
            await OpenMenuAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Admin" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Outbox" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Admin/Outbox");

        await Assertions.Expect(page.Locator("#outboxes tr[data-outbox='alerts']")).ToBeVisibleAsync();
        var row = page.Locator($"#problems li[data-message-id='{id}']");
        await Assertions.Expect(row).ToContainTextAsync("IncidentOpenedEvent");
        await Assertions.Expect(row).ToContainTextAsync("failed");
        await Assertions.Expect(row).ToContainTextAsync("JsonException");
        Assert.Empty(await PageFit.ProblemsAsync(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, $"admin-outbox-{name}.png"), FullPage = true });

        await row.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        await Assertions.Expect(page.Locator("#outbox-notice")).ToContainTextAsync($"Message {id} is being delivered again.");
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.outbox_messages WHERE id = '{id}' AND failed_at IS NOT NULL AND attempts = 10"));
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
        await app.ExecuteAsync($"DELETE FROM alerts.outbox_messages WHERE id = '{id}'");
    }
}
