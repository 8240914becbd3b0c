using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Platform;

namespace SafeCities.Tests.Browser;

/// <summary>
/// A person whose role requires a second factor sets it up in Chromium the way they would on a desk or on their phone: the key read off the
/// page goes into "their authenticator" (the tests' RFC 6238 code), the recovery codes appear once, the next sign-in asks for the code, and
/// an administrator resets it on Users when the phone is lost.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class MfaBrowserTests(AppFixture app) : BrowserTest
{
    [Theory]
    [InlineData("desktop", 1440, 900)]
    [InlineData("phone", 390, 844)]
    public async Task A_required_officer_enrols_keeps_the_recovery_codes_and_signs_in_with_a_code(string device, int width, int height)
    {
        var email = await app.CreateUserAsync(Roles.Officer);
        var phone = width < 500;
        var options = new BrowserNewContextOptions
            { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height }, IsMobile = phone, HasTouch = phone };
        using var required = app.RequireMfa(Roles.Officer);   // the administrator who resets it below is not held back

        var context = await Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        var errors = ConsoleErrors(page);
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, email);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Me/Mfa");
        await Assertions.Expect(page.Locator("#mfa-required")).ToBeVisibleAsync();
        Assert.True(await page.Locator("#mfa-qr").EvaluateAsync<int>("img => img.naturalWidth") > 100, "the QR code did not render");
        var qrBox = (await page.Locator("#mfa-qr").BoundingBoxAsync())!;
        Assert.True(qrBox.X >= 0 && qrBox.X + qrBox.Width <= width, "the QR code does not fit the screen");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, $"mfa-enrol-{device}.png"), FullPage = true });

        var key = (await page.Locator("#mfa-key").InnerTextAsync()).Replace(" ", "").ToUpperInvariant();
        await page.GetByLabel("Code from the app").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        var codes = page.Locator("#recovery-codes li");
        await Assertions.Expect(codes).ToHaveCountAsync(10);
        Assert.All(await codes.AllInnerTextsAsync(), c => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", c));
        await Assertions.Expect(page.Locator("#mfa-status")).ToHaveTextAsync("on");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, $"mfa-recovery-codes-{device}.png"), FullPage = true });
        await page.Locator("#mfa-continue").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await page.GotoAsync("/Me/Mfa");
        await Assertions.Expect(page.Locator("#mfa-on")).ToContainTextAsync("10 of 10 recovery codes left");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, $"mfa-status-{device}.png"), FullPage = true });
        await context.CloseAsync();

        // The next day (another browser): the password, then the code.
        var next = await Browser.NewContextAsync(options);
        var second = await next.NewPageAsync();
        var secondErrors = ConsoleErrors(second);
        await second.GotoAsync("/Account/Login");
        await SignInAsync(second, email);
        await second.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/LoginWith2fa");
        await Assertions.Expect(second.GetByText("No phone? Use a recovery code")).ToBeVisibleAsync();
        await second.GetByLabel("Authentication code").FillAsync(Totp.WrongCode(key));
        await second.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(second.GetByText("That code is not right")).ToBeVisibleAsync();
        await second.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, $"mfa-sign-in-{device}.png"), FullPage = true });
        await second.GetByLabel("Authentication code").FillAsync(Totp.Code(key));
        await second.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await second.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(second.Locator("#incidents")).ToBeAttachedAsync();
        await next.CloseAsync();

        // The officer lost the phone: an administrator resets it on Users.
        var adminContext = await Browser.NewContextAsync(options);
        var admin = await adminContext.NewPageAsync();
        var adminErrors = ConsoleErrors(admin);
        await admin.GotoAsync($"/Admin/Users?edit={Uri.EscapeDataString(email)}");
        await SignInAsync(admin, await app.CreateUserAsync(Roles.Administrator));
        await admin.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Admin/Users");
        await Assertions.Expect(admin.Locator("#edit-mfa")).ToHaveTextAsync("two-factor on");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Reset two-factor" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#edit-mfa")).ToHaveTextAsync("two-factor off");
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, $"mfa-admin-reset-{device}.png"), FullPage = true });
        await adminContext.CloseAsync();

        Assert.True(errors.Count == 0, string.Join(" | ", errors));
        Assert.True(secondErrors.Count == 0, string.Join(" | ", secondErrors));
        Assert.True(adminErrors.Count == 0, string.Join(" | ", adminErrors));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'user-mfa-reset' AND details->>'email' = '{email}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE actor = '{email}' AND action = 'mfa-sign-in'"));
    }
}
