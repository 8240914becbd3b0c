using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Platform.Identity;

namespace SafeCities.Tests.Unit;

/// <summary>The MFA configuration (on by default outside Development, every person's role) and how typed codes are read.</summary>
public sealed class TwoFactorUnitTests
{
    private static MfaOptions Options(string environment, params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        using var services = new ServiceCollection().AddTwoFactor(config, new HostingEnvironment { EnvironmentName = environment }).BuildServiceProvider();
        return services.GetRequiredService<IOptionsMonitor<MfaOptions>>().CurrentValue;
    }

    [Theory]
    [InlineData("Development", false)]
    [InlineData("Production", true)]
    [InlineData("Staging", true)]
    [InlineData("Testing", true)]
    public void The_requirement_is_on_outside_development_for_every_persons_role(string environment, bool required)
    {
        var options = Options(environment);
        Assert.Equal(required, options.Required);
        Assert.Equal(Roles.People.Order(), options.Roles.Order());
        Assert.Contains(Roles.Oversight, options.Roles);   // oversight reads the log of searches, which holds criminal-justice information
    }

    [Fact]
    public void Configuration_overrides_the_requirement_and_the_roles()
    {
        var options = Options("Production", ("Security:Mfa:Required", "false"), ("Security:Mfa:Roles:0", Roles.Administrator), ("Security:Mfa:Roles:1", Roles.Officer));
        Assert.False(options.Required);
        Assert.Equal([Roles.Administrator, Roles.Officer], options.Roles);
        Assert.True(Options("Development", ("Security:Mfa:Required", "true")).Required);
    }

    [Fact]
    public void An_unknown_role_or_an_issuer_with_a_colon_is_refused()
    {
        var role = Assert.Throws<OptionsValidationException>(() => Options("Production", ("Security:Mfa:Roles:0", "Device")));
        Assert.Contains("Security:Mfa:Roles may name only people's roles", role.Message);
        Assert.Throws<OptionsValidationException>(() => Options("Production", ("Security:Mfa:Issuer", "City:PD")));
    }

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData(" 123 456 ", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData("12345", null)]
    [InlineData("1234567", null)]
    [InlineData("12a456", null)]
    [InlineData("١٢٣٤٥٦", null)]   // Arabic-Indic digits are digits to char.IsDigit, not to the code
    [InlineData(null, null)]
    public void An_authenticator_code_is_six_ascii_digits_as_typed(string? typed, string? code) => Assert.Equal(code, TwoFactor.AuthenticatorCode(typed));

    [Theory]
    [InlineData("AB3CD-EF4GH", "AB3CD-EF4GH")]
    [InlineData("ab3cd ef4gh", "AB3CD-EF4GH")]
    [InlineData("ab3cdef4gh", "AB3CD-EF4GH")]
    [InlineData("AB3CD-EF4G", null)]
    [InlineData("AB3CD-EF4G!", null)]
    [InlineData("", null)]
    public void A_recovery_code_is_read_in_any_case_with_or_without_its_hyphen(string typed, string? code) => Assert.Equal(code, TwoFactor.RecoveryCode(typed));

    [Fact]
    public void The_key_is_shown_in_groups_of_four_and_the_uri_is_what_authenticator_apps_read()
    {
        Assert.Equal("abcd efgh ijkl mnop qrst uvwx yz23 4567", TwoFactor.FormatKey("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
        Assert.Equal("otpauth://totp/SafeCities%20PD:a%2Bb%40city.gov?secret=ABCD&issuer=SafeCities%20PD&digits=6",
            TwoFactor.AuthenticatorUri("SafeCities PD", "a+b@city.gov", "ABCD"));
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", TwoFactor.QrCodeDataUri("otpauth://totp/x?secret=ABCD"));
    }

    /// <summary>RFC 6238 appendix B (SHA-1 rows): the tests' own TOTP is right before it judges the app.</summary>
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(20000000000L, "65353130")]
    public void The_test_totp_matches_the_rfc_vectors(long unixSeconds, string code)
    {
        var key = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal(code, Totp.Code(key, unixSeconds / 30, 8));
        Assert.Equal(key, Totp.Base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        Assert.Equal(code[2..], Totp.Code("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
    }
}
