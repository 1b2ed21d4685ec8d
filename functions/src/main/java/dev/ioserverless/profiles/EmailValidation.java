package dev.ioserverless.profiles;

import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IO's email validation process: the rules that make a validation link and that use one.
 *
 * <ul>
 *   <li>{@link #start}: a profile with an unvalidated email gets a new single-use token (32 random
 *       bytes, base64url), stored only as its SHA-256, valid {@link #TOKEN_LIFETIME}, and an email
 *       with the link to it. Earlier tokens stay valid until used or expired.
 *   <li>{@link #validate}: the token is claimed once (a conditional write), then checked for
 *       expiry by the clock, then the address it was sent to must still be the profile's, then the
 *       address is claimed in {@link ValidatedEmails} (nobody's, or already this citizen's); only then
 *       is the profile's email validated. Another citizen holding the address is
 *       {@link ValidationTexts.Outcome#TAKEN}.
 *   <li>Both are rate limited: {@link #STARTS_PER_HOUR} starts per citizen, and
 *       {@link #ATTEMPTS_PER_HOUR} uses of links per token-hash prefix (one of 65,536 buckets, so a
 *       flood of forged links slows down almost nobody else).
 * </ul>
 */
public final class EmailValidation {
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    static final int STARTS_PER_HOUR = 5;
    static final int ATTEMPTS_PER_HOUR = 10;
    static final Duration WINDOW = Duration.ofHours(1);
    static final String ROUTE = "/validate-profile-email";
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_-]{43}$");

    /** What using a link came to, the citizen it was for (null when unknown), and the page's language. */
    public record Result(ValidationTexts.Outcome outcome, String fiscalCode, ValidationTexts.Language language) {
        public int status() {
            return switch (outcome) {
                case VALIDATED -> 200;
                case INVALID -> 404;
                case TAKEN, CHANGED -> 409;
                case USED, EXPIRED -> 410;
                case TOO_MANY -> 429;
                case FAILED -> 503;
            };
        }
    }

    private final ProfileStore profiles;
    private final EmailValidationTokens tokens;
    private final ValidatedEmails validated;
    private final ValidationMailer mailer;
    private final AttemptCounter attempts;
    private final Clock clock;
    private final SecureRandom random;

    public EmailValidation(ProfileStore profiles, EmailValidationTokens tokens, ValidatedEmails validated,
                           ValidationMailer mailer, AttemptCounter attempts, Clock clock, SecureRandom random) {
        this.attempts = attempts;
        this.profiles = profiles;
        this.tokens = tokens;
        this.validated = validated;
        this.mailer = mailer;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Starts the validation of the citizen's email: a new token and the email with its link.
     *
     * @param citizenApiBaseUrl the citizen API's public base URL, ending in {@code /api/v1}
     * @throws ProblemException 404 without a profile, 400 without an email or with one already
     *     validated, 429 past {@link #STARTS_PER_HOUR}
     */
    public void start(String fiscalCode, String citizenApiBaseUrl) {
        start(fiscalCode, () -> citizenApiBaseUrl);
    }

    /** {@link #start(String, String)} with the base URL worked out only when a link is made. */
    public void start(String fiscalCode, java.util.function.Supplier<String> citizenApiBaseUrl) {
        Profile profile = profiles.find(fiscalCode)
                .orElseThrow(() -> new ProblemException(Problem.notFound("profile: the citizen has no profile yet")));
        if (profile.email() == null) {
            throw new ProblemException(Problem.badRequest("email: the profile has no email address; set one first"));
        }
        if (profile.isEmailValidated()) {
            throw new ProblemException(Problem.badRequest("email: the profile's email address is already validated"));
        }
        Instant now = clock.instant();
        Instant window = windowStart(now);
        if (!attempts.tryCount("start#" + Hashing.sha256Hex(fiscalCode).substring(0, 32), window, window.plus(WINDOW),
                STARTS_PER_HOUR)) {
            throw new ProblemException(Problem.of(429, "Too many requests",
                    "email-validation-process: at most " + STARTS_PER_HOUR + " per hour; retry later"));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String link = stripSlash(citizenApiBaseUrl.get()) + ROUTE + "?token=" + token;
        tokens.create(new EmailValidationTokens.Token(Hashing.sha256Hex(token), fiscalCode, profile.email(), now,
                now.plus(TOKEN_LIFETIME)));
        mailer.send(ValidationTexts.email(ValidationTexts.languageOf(profile.preferredLanguages()), profile.email(), link));
    }

    /** Uses a validation link's token: never throws for a bad token, only tells the outcome. */
    public Result validate(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return new Result(ValidationTexts.Outcome.INVALID, null, ValidationTexts.Language.IT);
        }
        String hash = Hashing.sha256Hex(token);
        Instant now = clock.instant();
        Instant window = windowStart(now);
        if (!attempts.tryCount("validate#" + hash.substring(0, 4), window, window.plus(WINDOW), ATTEMPTS_PER_HOUR)) {
            return new Result(ValidationTexts.Outcome.TOO_MANY, null, ValidationTexts.Language.IT);
        }
        EmailValidationTokens.Claim claim = tokens.claim(hash, now);
        if (claim instanceof EmailValidationTokens.Unknown) {
            return new Result(ValidationTexts.Outcome.INVALID, null, ValidationTexts.Language.IT);
        }
        if (claim instanceof EmailValidationTokens.AlreadyUsed used) {
            return result(ValidationTexts.Outcome.USED, used.fiscalCode(), profiles.find(used.fiscalCode()));
        }
        EmailValidationTokens.Token claimed = ((EmailValidationTokens.Claimed) claim).token();
        Optional<Profile> profile = profiles.find(claimed.fiscalCode());
        if (!now.isBefore(claimed.expiresAt())) {
            return result(ValidationTexts.Outcome.EXPIRED, claimed.fiscalCode(), profile);
        }
        if (profile.isEmpty() || !claimed.email().equals(profile.get().email())) {
            return result(ValidationTexts.Outcome.CHANGED, claimed.fiscalCode(), profile);
        }
        if (!validated.claim(claimed.email(), claimed.fiscalCode())) {
            return result(ValidationTexts.Outcome.TAKEN, claimed.fiscalCode(), profile);
        }
        if (!profiles.markEmailValidated(claimed.fiscalCode(), claimed.email(), now)) {
            // The email changed between the read and the write: the address is no longer this profile's.
            validated.release(claimed.email(), claimed.fiscalCode());
            return result(ValidationTexts.Outcome.CHANGED, claimed.fiscalCode(), profile);
        }
        return result(ValidationTexts.Outcome.VALIDATED, claimed.fiscalCode(), profile);
    }

    /** IO's {@code is_email_already_taken}: the profile's unvalidated email is another citizen's validated one. */
    public static boolean isAlreadyTaken(Profile profile, ValidatedEmails validated) {
        if (profile.email() == null || profile.isEmailValidated()) {
            return false;
        }
        return validated.holder(profile.email()).filter(holder -> !holder.equals(profile.fiscalCode())).isPresent();
    }

    /** After an update: the citizen's validated address, replaced by another, is released for anyone. */
    public static void afterUpdate(Optional<Profile> before, Profile after, ValidatedEmails validated) {
        before.flatMap(Profile::validatedEmail)
                .filter(old -> !EmailAddress.same(old, after.email()))
                .ifPresent(old -> validated.release(old, after.fiscalCode()));
    }

    private static Result result(ValidationTexts.Outcome outcome, String fiscalCode, Optional<Profile> profile) {
        return new Result(outcome, fiscalCode,
                ValidationTexts.languageOf(profile.map(Profile::preferredLanguages).orElse(null)));
    }

    private static Instant windowStart(Instant now) {
        long seconds = WINDOW.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), seconds) * seconds);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
