namespace SafeCities.Tests.Integration.Platform;

/// <summary>People's accounts through the users API, the way an administrator's tool would create them.</summary>
public static class UsersApi
{
    /// <summary>Creates the account and returns its one-time password.</summary>
    public static async Task<string> CreateAccountAsync(this AppFixture app, string email, string role, string? district = null, Guid? agencyId = null)
    {
        using var admin = app.AdminClient();
        var response = await admin.PostAsJsonAsync("api/v1/users", new { email, role, district, agencyId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create failed: {(int)response.StatusCode} {body}");
        var json = JsonNode.Parse(body)!;
        Assert.Equal(email, json["email"]!.GetValue<string>());
        Assert.Equal(role, json["role"]!.GetValue<string>());
        return json["password"]!.GetValue<string>();
    }
}
