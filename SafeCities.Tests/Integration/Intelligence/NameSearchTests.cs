using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>
/// Name search without a date of birth (ADR 0058): the query's words are looked up in the dictionary of name words (exact, prefix, sound-alike,
/// trigram-similar) and the matching (first, last) rows read through B-tree indexes; the trigram search over whole names runs only when the
/// words find nobody. What an analyst relies on: misspellings, sound-alikes, either order, a prefix, aliases, best first.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NameSearchTests(AppFixture app)
{
    [Fact]
    public async Task Names_without_a_date_of_birth_are_found_by_their_words_misspelt_sounded_swapped_or_shortened_best_first()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Kowalski");
        var alias = Unique("Blackwood");
        var katherine = PersonIdOf(await app.PushOkAsync(jail, Person("K1", "Katherine", last, "1990-05-17", aliases: [$"Kit {alias}"])), "K1");
        var karl = PersonIdOf(await app.PushOkAsync(jail, Person("K2", "Karl", last, "1961-02-03")), "K2");
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));

        async Task<JsonArray> Persons(string name)
        {
            var response = await commander.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=names {last}&name={Uri.EscapeDataString(name)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.ReadJsonAsync())["persons"]!.AsArray();
        }
        static Guid Id(JsonNode? p) => p!["personId"]!.GetValue<Guid>();

        // the name's words are in the dictionary as soon as the record is in (a statement trigger, whatever wrote the names)
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.name_words WHERE word = '{last.ToLowerInvariant()}'"));

        var full = await Persons($"Katherine {last}");
        Assert.Equal(katherine, Id(full[0]));
        // a full name matches where both its words do: Karl, who shares only the surname, is not listed (the whole-name trigram search listed
        // him, lower; ADR 0058) — the surname alone finds both
        Assert.DoesNotContain(full, p => Id(p) == karl);
        var surname = await Persons(last);
        Assert.Contains(surname, p => Id(p) == katherine);
        Assert.Contains(surname, p => Id(p) == karl);
        var doubled = last[..3] + last[2] + last[3..];                                  // Kowwalski…: a doubled letter
        Assert.Equal(katherine, Id((await Persons($"Katherine {doubled}"))[0]));
        var dropped = last.Remove(4, 1);                                                  // Kowaski…: a dropped letter, surname only
        Assert.Contains(await Persons(dropped), p => Id(p) == karl);
        Assert.Equal(katherine, Id((await Persons($"Kathryn {last}"))[0]));               // a sound-alike first name
        Assert.Equal(katherine, Id((await Persons($"{last} Katherine"))[0]));             // surname first
        Assert.Equal(katherine, Id((await Persons($"Kath {last}"))[0]));                  // a prefix of the first name
        var byAlias = await Persons($"Kit {alias}");
        Assert.Contains(byAlias, p => Id(p) == katherine && p!["matchedOn"]!.AsArray().Any(m => m!.GetValue<string>() == "alias"));
        Assert.Contains(await Persons(alias), p => Id(p) == katherine);                  // an alias's surname alone

        // the last word matches no name word (a suffix the records do not carry): the trigram search over whole names still finds her
        Assert.Contains(await Persons($"Katherine {last} Jr"), p => Id(p) == katherine);

        // and nothing that only shares a letter or two
        Assert.DoesNotContain(await Persons($"Zebulon {Unique("Quixote")}"), p => Id(p) == katherine || Id(p) == karl);
    }

    [Fact]
    public async Task A_common_surname_reads_a_bounded_number_of_rows_and_counts_what_is_withheld_from_them()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var (police, policeKey) = await app.RegisterAgencyAsync("police");
        // A surname whose sound-alike key (double metaphone TRTR) no other test's names can have: a random suffix (letters a–p) spells no R.
        // It was "Commonname…" (KMNM), which another test's random surname "Q…" spells now and then ("Qamnm…"), a person of another
        // agency that the search rightly counted as withheld too: a CI run once counted 31.
        var last = Unique("Turtrusty");
        // 30 persons of that surname at the jail (withheld from the police's analysts), 3 at the police
        await app.PushOkAsync(jail, [.. Enumerable.Range(0, 30).Select(i => Person($"J{i}", $"First{(char)('a' + i % 26)}{(char)('a' + i / 26)}", last, $"19{50 + i}-01-0{1 + i % 9}"))]);
        await app.PushOkAsync(policeKey, [.. Enumerable.Range(0, 3).Select(i => Person($"P{i}", $"Other{(char)('a' + i)}", last, $"1980-02-0{1 + i}"))]);
        using var analyst = app.Client(await app.InScopeAsync(sp =>
            sp.GetRequiredService<SafeCities.Modules.Platform.ApiKeys.ApiKeyService>().CreateClientAsync("names analyst", Roles.Analyst, "tests", default, police)));
        async Task<JsonNode> Search() => await (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=common {last}&name={last}")).ReadJsonAsync();

        var result = await Search();
        Assert.Equal(3, result["persons"]!.AsArray().Count);
        Assert.Equal(30, result["withheld"]!["persons"]!.GetValue<int>());
        // One more at the jail is one more withheld.
        await app.PushOkAsync(jail, [Person("J30", "Firstzz", last, "1990-03-04")]);
        var again = await Search();
        Assert.Equal(3, again["persons"]!.AsArray().Count);
        Assert.Equal(31, again["withheld"]!["persons"]!.GetValue<int>());
    }
}
