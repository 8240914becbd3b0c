using System.Security.Cryptography;
using System.Text;

namespace SafeCities.Modules.Shared.Persistence;

/// <summary>
/// An id fixed by a name (an MD5 of its UTF-8 text): what a reaction writes under it — an outbox report, a linking pass — is found again
/// when the event that caused it is delivered again, so the reaction happens once (e.g. <c>plates-lookback:{incident}</c>).
/// Not a security measure: the names are the app's own.
/// </summary>
public static class StableId
{
    public static Guid Of(string name) => new(MD5.HashData(Encoding.UTF8.GetBytes(name)));
}
