package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.MutableClock;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.profiles.ValidationTexts.Outcome;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EmailValidationTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String OTHER = "VRDGPP80A01H501X";
    static final String BASE = "https://citizen.example.org/api/v1";
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Pattern LINK = Pattern.compile(Pattern.quote(BASE) + "/validate-profile-email\\?token=([A-Za-z0-9_-]{43})");

    final MutableClock clock = new MutableClock(NOW);
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final InMemoryEmailValidationTokens tokens = new InMemoryEmailValidationTokens();
    final InMemoryValidatedEmails validated = new InMemoryValidatedEmails();
    final List<ValidationMailer.ValidationEmail> sent = new ArrayList<>();
    final EmailValidation validation = new EmailValidation(profiles, tokens, validated, sent::add, new InMemoryAttemptCounter(), clock, new SecureRandom());

    static Profile withEmail(String fiscalCode, String email, List<String> languages) {
        return new Profile(fiscalCode, true, 3, languages, ServicePreferencesMode.AUTO, 0, Map.of(), NOW, NOW, 1, true,
                true, null, null, email, false);
    }

    /** Starts the process and reads the token back from the email's text, as a citizen's mail client shows it. */
    String startAndReadToken(String fiscalCode) {
        validation.start(fiscalCode, BASE);
        Matcher link = LINK.matcher(sent.get(sent.size() - 1).text());
        assertTrue(link.find(), sent.get(sent.size() - 1).text());
        return link.group(1);
    }

    @Test
    void startMakesATokenStoredOnlyAsItsHashValidThirtyMinutesAndMailsTheLinkInItalianByDefault() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        String token = startAndReadToken(CF);
        assertEquals(32, Base64.getUrlDecoder().decode(token).length);
        EmailValidationTokens.Token stored = tokens.tokens.get(Hashing.sha256Hex(token));
        assertEquals(CF, stored.fiscalCode());
        assertEquals("mario.rossi@example.com", stored.email());
        assertEquals(NOW.plus(Duration.ofMinutes(30)), stored.expiresAt());
        assertFalse(tokens.tokens.containsKey(token));
        ValidationMailer.ValidationEmail email = sent.get(0);
        assertEquals("mario.rossi@example.com", email.to());
        assertEquals("Conferma il tuo indirizzo email", email.subject());
        assertTrue(email.html().contains("href=\"" + BASE + "/validate-profile-email?token=" + token + "\""));
    }

    @Test
    void theEmailIsInEnglishWhenThatIsTheFirstPreferredLanguage() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of("en_GB", "it_IT")));
        validation.start(CF, BASE);
        assertEquals("Confirm your email address", sent.get(0).subject());
    }

    @Test
    void startNeedsAProfileWithAnUnvalidatedEmail() {
        assertEquals(404, assertThrows(ProblemException.class, () -> validation.start(CF, BASE)).problem().status());
        profiles.save(withEmail(CF, null, List.of()));
        ProblemException noEmail = assertThrows(ProblemException.class, () -> validation.start(CF, BASE));
        assertEquals(400, noEmail.problem().status());
        assertTrue(noEmail.problem().detail().startsWith("email:"));
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()).withEmailValidated(NOW));
        assertEquals(400, assertThrows(ProblemException.class, () -> validation.start(CF, BASE)).problem().status());
        assertTrue(sent.isEmpty());
        assertTrue(tokens.tokens.isEmpty());
    }

    @Test
    void startIsLimitedPerCitizenPerHour() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        for (int i = 0; i < EmailValidation.STARTS_PER_HOUR; i++) {
            validation.start(CF, BASE);
        }
        assertEquals(429, assertThrows(ProblemException.class, () -> validation.start(CF, BASE)).problem().status());
        clock.advance(Duration.ofHours(1));
        validation.start(CF, BASE);
        assertEquals(EmailValidation.STARTS_PER_HOUR + 1, sent.size());
    }

    @Test
    void aTokenValidatesTheAddressOnceAndOnlyThenDoesItCount() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        String token = startAndReadToken(CF);
        assertEquals(Optional.empty(), profiles.find(CF).orElseThrow().validatedEmail());

        EmailValidation.Result result = validation.validate(token);
        assertEquals(Outcome.VALIDATED, result.outcome());
        assertEquals(200, result.status());
        Profile profile = profiles.find(CF).orElseThrow();
        assertTrue(profile.isEmailValidated());
        assertEquals(Optional.of("mario.rossi@example.com"), profile.validatedEmail());
        assertEquals(2, profile.version());
        assertEquals(Optional.of(CF), validated.holder("MARIO.ROSSI@example.com"));

        EmailValidation.Result again = validation.validate(token);
        assertEquals(Outcome.USED, again.outcome());
        assertEquals(410, again.status());
    }

    @Test
    void severalTokensLiveAtOnceEachSingleUse() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of("en_GB")));
        String first = startAndReadToken(CF);
        String second = startAndReadToken(CF);
        assertEquals(Outcome.VALIDATED, validation.validate(second).outcome());
        // The first link still works once (the address is this citizen's already), then never again.
        assertEquals(Outcome.VALIDATED, validation.validate(first).outcome());
        assertEquals(Outcome.USED, validation.validate(first).outcome());
        assertEquals(ValidationTexts.Language.EN, validation.validate(second).language());
    }

    @Test
    void aTokenExpiresThirtyMinutesAfterItWasMadeByTheClock() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        String token = startAndReadToken(CF);
        clock.advance(Duration.ofMinutes(30));
        EmailValidation.Result result = validation.validate(token);
        assertEquals(Outcome.EXPIRED, result.outcome());
        assertEquals(410, result.status());
        assertFalse(profiles.find(CF).orElseThrow().isEmailValidated());
        assertTrue(validated.holders.isEmpty());
    }

    @Test
    void aTokenJustBeforeItsExpiryStillWorks() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        String token = startAndReadToken(CF);
        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertEquals(Outcome.VALIDATED, validation.validate(token).outcome());
    }

    @Test
    void forgedMalformedOrMissingTokensAreInvalidAndChangeNothing() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        String real = startAndReadToken(CF);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        for (String token : new String[] {forged, null, "", "short", real + "x", real.substring(1) + "+",
                "<script>alert(1)</script>"}) {
            EmailValidation.Result result = validation.validate(token);
            assertEquals(Outcome.INVALID, result.outcome(), String.valueOf(token));
            assertEquals(404, result.status());
        }
        assertFalse(profiles.find(CF).orElseThrow().isEmailValidated());
        assertEquals(Outcome.VALIDATED, validation.validate(real).outcome());
    }

    @Test
    void anAddressAnotherCitizenValidatedIsTakenAndTheProfileSaysSo() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        assertEquals(Outcome.VALIDATED, validation.validate(startAndReadToken(CF)).outcome());

        profiles.save(withEmail(OTHER, "Mario.Rossi@Example.com", List.of("en_GB")));
        assertTrue(EmailValidation.isAlreadyTaken(profiles.find(OTHER).orElseThrow(), validated));
        assertFalse(EmailValidation.isAlreadyTaken(profiles.find(CF).orElseThrow(), validated));
        EmailValidation.Result result = validation.validate(startAndReadToken(OTHER));
        assertEquals(Outcome.TAKEN, result.outcome());
        assertEquals(409, result.status());
        assertEquals(ValidationTexts.Language.EN, result.language());
        assertFalse(profiles.find(OTHER).orElseThrow().isEmailValidated());
        assertEquals(Optional.of(CF), validated.holder("mario.rossi@example.com"));
    }

    @Test
    void aChangedAddressReleasesTheOldOneForAnyone() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        assertEquals(Outcome.VALIDATED, validation.validate(startAndReadToken(CF)).outcome());
        Optional<Profile> before = profiles.find(CF);
        Profile after = ProfileUpdate.parse(dev.ioserverless.common.Json.read(
                "{\"version\":2,\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"email\":\"mario@example.org\"}")).applyTo(CF, before, NOW);
        profiles.replace(after, 2, true);
        EmailValidation.afterUpdate(before, after, validated);
        assertTrue(validated.holders.isEmpty());

        profiles.save(withEmail(OTHER, "mario.rossi@example.com", List.of()));
        assertEquals(Outcome.VALIDATED, validation.validate(startAndReadToken(OTHER)).outcome());
    }

    @Test
    void aLinkForAnAddressTheProfileNoLongerHasValidatesNothing() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        String token = startAndReadToken(CF);
        profiles.save(withEmail(CF, "mario@example.org", List.of()));
        EmailValidation.Result result = validation.validate(token);
        assertEquals(Outcome.CHANGED, result.outcome());
        assertFalse(profiles.find(CF).orElseThrow().isEmailValidated());
        assertTrue(validated.holders.isEmpty());
    }

    @Test
    void usingLinksIsLimitedPerTokenHashPrefixPerHour() {
        profiles.save(withEmail(CF, "mario.rossi@example.com", List.of()));
        String token = startAndReadToken(CF);
        for (int i = 0; i < EmailValidation.ATTEMPTS_PER_HOUR; i++) {
            validation.validate(token);
        }
        EmailValidation.Result limited = validation.validate(token);
        assertEquals(Outcome.TOO_MANY, limited.outcome());
        assertEquals(429, limited.status());
        clock.advance(Duration.ofHours(1));
        assertEquals(Outcome.USED, validation.validate(token).outcome());
    }
}
