using SafeCities.Modules.Alerts;
using SafeCities.Modules.Intelligence;
using SafeCities.Modules.Lighting;
using SafeCities.Modules.Plates;
using SafeCities.Modules.Platform;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Sensors;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Video;
using SafeCities.Web.Composition;
using SafeCities.Web.Platform;
using SafeCities.Web.Platform.Clock;
using SafeCities.Web.Platform.Nodes;
using SafeCities.Web.Platform.Observability;
using SafeCities.Web.Platform.Security;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddRootAppSettings();
var config = builder.Configuration;

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSafeCitiesMessaging();
builder.Services.AddSafeCitiesDataSource(config);
builder.Services.AddSensorsModule(config);
builder.Services.AddLightingModule(config);
builder.Services.AddVideoModule(config);
builder.Services.AddPlatesModule(config);
builder.Services.AddIntelligenceModule(config);
builder.Services.AddAlertsModule(config);
builder.Services.AddPlatformModule(config, builder.Environment);
builder.AddSafeCitiesPlatform();
builder.AddWebSecurity();
builder.AddSafeCitiesObservability();
builder.AddSafeCitiesNodes();
builder.AddCityClock();
builder.Services.AddRazorPages(o =>
{
    // Any person's role at the root; each page narrows it (the board: command staff; the audit log: administrators and oversight).
    o.Conventions.AuthorizeFolder("/", Policies.People);
    foreach (var area in (string[])["Alerts", "Lighting", "Video", "Plates", "Intelligence", "Sensors"])
    {
        // Partner roles (judges, probation officers) read intelligence too; its query layer decides what each role sees.
        o.Conventions.AuthorizeAreaFolder(area, "/", area == "Intelligence" ? Policies.People : Policies.CommandStaff);
        o.Conventions.AuthorizeAreaFolder(area, "/Admin", Policies.Administrators);
    }
    o.Conventions.AuthorizeFolder("/Admin", Policies.Administrators);
    o.Conventions.AllowAnonymousToFolder("/Account");
    o.Conventions.AllowAnonymousToPage("/Error");
});
builder.Services.AddSignalR();

var app = builder.Build();

if (args is ["create-admin", var email, ..])
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.MigrateSafeCitiesDatabasesAsync(CancellationToken.None);
    var password = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CreateAdministratorCommand(email));
    Console.WriteLine($"Administrator {email} created. One-time password (change it after signing in, then set up two-factor sign-in): {password}");
    return;
}

app.UseTransportSecurity();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment())
    app.UseHsts();
app.UseAuthentication();
app.UseRoleHome();   // before authorization: the board would refuse them
app.UseAuthorization();
app.UseRateLimiter();   // per-endpoint policies only (citizen reports)
// A pending sign-in step (new password, second factor) refuses first; then no cookie-authenticated change without the antiforgery
// token; then no NUL, control character, null array element or absurd date in any input (400 naming the field).
app.UsePlatformSignInRequirements();
app.UseRequestForgeryProtection();
app.UseInputHygiene();

app.MapStaticAssets().AllowAnonymous();
app.MapRazorPages().WithStaticAssets();
app.MapSafeCitiesPlatform();
app.MapDeviceReports();
app.MapPlatformModule();
app.MapSensorsModule();
app.MapLightingModule();
app.MapVideoModule();
app.MapPlatesModule();
app.MapIntelligenceModule();
app.MapAlertsModule();

app.Run();
