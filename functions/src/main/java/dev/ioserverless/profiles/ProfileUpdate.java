package dev.ioserverless.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A citizen's {@code POST /profile} (IO's {@code Profile}), checked, and the rules that turn it
 * and the stored profile into the next one. Plain Java: the handler reads and writes the store.
 *
 * <ul>
 *   <li>{@code version} must equal the stored profile's (0 when there is none): 409 otherwise.
 *   <li>A new profile starts in AUTO mode unless MANUAL is asked for; LEGACY can never be chosen,
 *       and a profile in AUTO or MANUAL must keep sending its mode (an omitted mode means LEGACY, as
 *       in IO): both 409.
 *   <li>A change of mode starts a new preference settings version, so every earlier per-service
 *       preference no longer counts.
 *   <li>The inbox stays off until terms of service are accepted; the first acceptance turns the
 *       inbox and push on.
 *   <li>A new or changed {@code email} is not validated; the same address again (in any case)
 *       keeps its state.
 *   <li>What the update leaves out keeps its stored value. The answer's version is the stored one + 1.
 * </ul>
 */
public record ProfileUpdate(
        long version,
        Optional<Boolean> isInboxEnabled,
        Optional<Boolean> isWebhookEnabled,
        Optional<Boolean> isEmailEnabled,
        Optional<Integer> acceptedTosVersion,
        Optional<List<String>> preferredLanguages,
        Optional<ServicePreferencesMode> mode,
        Optional<Map<String, Set<BlockedInboxOrChannel>>> blockedInboxOrChannels,
        Optional<String> reminderStatus,
        Optional<String> pushNotificationsContentType,
        Optional<String> email) {

    /** An update that leaves the email as it is. */
    public ProfileUpdate(long version, Optional<Boolean> isInboxEnabled, Optional<Boolean> isWebhookEnabled,
                         Optional<Boolean> isEmailEnabled, Optional<Integer> acceptedTosVersion,
                         Optional<List<String>> preferredLanguages, Optional<ServicePreferencesMode> mode,
                         Optional<Map<String, Set<BlockedInboxOrChannel>>> blockedInboxOrChannels,
                         Optional<String> reminderStatus, Optional<String> pushNotificationsContentType) {
        this(version, isInboxEnabled, isWebhookEnabled, isEmailEnabled, acceptedTosVersion, preferredLanguages, mode,
                blockedInboxOrChannels, reminderStatus, pushNotificationsContentType, Optional.empty());
    }

    static final List<String> LANGUAGES = List.of("it_IT", "en_GB", "es_ES", "de_DE", "fr_FR");
    static final List<String> REMINDER_STATUSES = List.of("ENABLED", "DISABLED");
    static final List<String> PUSH_CONTENT_TYPES = List.of("FULL", "ANONYMOUS");
    private static final Pattern APP_VERSION = Pattern.compile("^((0|[1-9]\\d*)\\.){2}(0|[1-9]\\d*)(\\.(0|[1-9]\\d*))?$");

    /** The body checked field by field; 400 naming every broken rule. Unknown fields are ignored. */
    public static ProfileUpdate parse(JsonNode body) {
        List<String> errors = new ArrayList<>();
        JsonNode version = body.get("version");
        if (version == null) {
            errors.add("version: required, the version of the profile read last (0 before the first update)");
        } else if (!version.isIntegralNumber() || version.asLong() < 0) {
            errors.add("version: must be an integer of at least 0");
        }
        Optional<Boolean> inbox = bool(body, "is_inbox_enabled", errors);
        Optional<Boolean> webhook = bool(body, "is_webhook_enabled", errors);
        Optional<Boolean> emailChannel = bool(body, "is_email_enabled", errors);
        Optional<Integer> tos = Optional.empty();
        JsonNode tosNode = body.get("accepted_tos_version");
        if (tosNode != null && !tosNode.isNull()) {
            if (!tosNode.isNumber() || tosNode.asDouble() < 1 || tosNode.asDouble() != Math.rint(tosNode.asDouble())
                    || tosNode.asDouble() > Integer.MAX_VALUE) {
                errors.add("accepted_tos_version: must be a whole number of at least 1");
            } else {
                tos = Optional.of(tosNode.asInt());
            }
        }
        Optional<List<String>> languages = Optional.empty();
        JsonNode languagesNode = body.get("preferred_languages");
        if (languagesNode != null && !languagesNode.isNull()) {
            List<String> list = new ArrayList<>();
            if (!languagesNode.isArray()) {
                errors.add("preferred_languages: must be an array of " + LANGUAGES);
            } else {
                languagesNode.forEach(item -> {
                    if (item.isTextual() && LANGUAGES.contains(item.asText())) {
                        list.add(item.asText());
                    } else {
                        errors.add("preferred_languages: each must be one of " + LANGUAGES);
                    }
                });
                languages = Optional.of(list);
            }
        }
        Optional<ServicePreferencesMode> mode = Optional.empty();
        JsonNode settings = body.get("service_preferences_settings");
        if (settings != null && !settings.isNull()) {
            mode = settings.isObject() ? ServicePreferencesMode.fromName(settings.path("mode").asText(null)) : Optional.empty();
            if (mode.isEmpty()) {
                errors.add("service_preferences_settings.mode: required, one of LEGACY, AUTO, MANUAL");
            }
        }
        Optional<Map<String, Set<BlockedInboxOrChannel>>> blocked = Optional.empty();
        JsonNode blockedNode = body.get("blocked_inbox_or_channels");
        if (blockedNode != null && !blockedNode.isNull()) {
            Map<String, Set<BlockedInboxOrChannel>> map = new LinkedHashMap<>();
            if (!blockedNode.isObject()) {
                errors.add("blocked_inbox_or_channels: must be an object of service id to channels");
            } else {
                blockedNode.fields().forEachRemaining(entry -> {
                    Set<BlockedInboxOrChannel> channels = EnumSet.noneOf(BlockedInboxOrChannel.class);
                    if (!entry.getValue().isArray()) {
                        errors.add("blocked_inbox_or_channels." + entry.getKey() + ": must be an array of EMAIL, INBOX, WEBHOOK");
                    } else {
                        entry.getValue().forEach(channel -> BlockedInboxOrChannel.fromName(channel.asText(null))
                                .ifPresentOrElse(channels::add, () -> errors.add("blocked_inbox_or_channels."
                                        + entry.getKey() + ": each must be one of EMAIL, INBOX, WEBHOOK")));
                    }
                    map.put(entry.getKey(), channels);
                });
                blocked = Optional.of(map);
            }
        }
        Optional<String> reminder = oneOf(body, "reminder_status", REMINDER_STATUSES, errors);
        Optional<String> pushContent = oneOf(body, "push_notifications_content_type", PUSH_CONTENT_TYPES, errors);
        Optional<String> email = Optional.empty();
        JsonNode emailNode = body.get("email");
        if (emailNode != null && !emailNode.isNull()) {
            if (emailNode.isTextual() && EmailAddress.isValid(emailNode.asText())) {
                email = Optional.of(emailNode.asText());
            } else {
                errors.add("email: must be an email address such as name@example.com");
            }
        }
        JsonNode appVersion = body.get("last_app_version");
        if (appVersion != null && !appVersion.isNull() && !(appVersion.isTextual() && APP_VERSION.matcher(appVersion.asText()).matches())) {
            errors.add("last_app_version: must be a version such as 2.60.0");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
        }
        return new ProfileUpdate(version.asLong(), inbox, webhook, emailChannel, tos, languages, mode, blocked, reminder, pushContent,
                email);
    }

    /**
     * The profile this update makes of {@code stored}.
     *
     * @throws ProblemException 409 for a stale version or a mode that cannot be chosen
     */
    public Profile applyTo(String fiscalCode, Optional<Profile> stored, Instant now) {
        long storedVersion = stored.map(Profile::version).orElse(0L);
        if (version != storedVersion) {
            throw conflict("version: " + version + " is not the profile's current version " + storedVersion
                    + "; read the profile and apply the change again");
        }
        ServicePreferencesMode current = stored.map(Profile::servicePreferencesMode).orElse(null);
        ServicePreferencesMode next = mode.orElse(stored.isEmpty() ? ServicePreferencesMode.AUTO : ServicePreferencesMode.LEGACY);
        if (next == ServicePreferencesMode.LEGACY && current != ServicePreferencesMode.LEGACY) {
            throw conflict(mode.isPresent()
                    ? "service_preferences_settings.mode: LEGACY cannot be chosen; use AUTO or MANUAL"
                    : "service_preferences_settings: required, the profile is in " + current + " mode");
        }
        int settingsVersion;
        if (stored.isEmpty()) {
            settingsVersion = 0;
        } else if (next != current) {
            settingsVersion = Math.max(stored.get().servicePreferencesVersion(), ServicePreferencesMode.LEGACY_VERSION) + 1;
        } else {
            settingsVersion = stored.get().servicePreferencesVersion();
        }
        Integer tos = acceptedTosVersion.orElse(stored.map(Profile::acceptedTosVersion).orElse(null));
        boolean firstAcceptance = tos != null && stored.map(Profile::acceptedTosVersion).orElse(null) == null;
        boolean inbox = tos != null && (firstAcceptance
                || isInboxEnabled.orElse(stored.map(Profile::isInboxEnabled).orElse(false)));
        boolean webhook = firstAcceptance || isWebhookEnabled.orElse(stored.map(Profile::isWebhookEnabled).orElse(false));
        String storedEmail = stored.map(Profile::email).orElse(null);
        String nextEmail = email.orElse(storedEmail);
        boolean validated = stored.map(Profile::isEmailValidated).orElse(false) && EmailAddress.same(nextEmail, storedEmail);
        Map<String, Set<BlockedInboxOrChannel>> blocked = next == ServicePreferencesMode.LEGACY
                ? blockedInboxOrChannels.orElse(stored.map(Profile::blockedInboxOrChannels).orElse(Map.of()))
                : Map.of();
        return new Profile(fiscalCode, inbox, tos,
                preferredLanguages.orElse(stored.map(Profile::preferredLanguages).orElse(List.of())),
                next, settingsVersion, blocked,
                stored.map(Profile::createdAt).orElse(now), now, storedVersion + 1, webhook,
                isEmailEnabled.orElse(stored.map(Profile::isEmailEnabled).orElse(true)),
                reminderStatus.orElse(stored.map(Profile::reminderStatus).orElse(null)),
                pushNotificationsContentType.orElse(stored.map(Profile::pushNotificationsContentType).orElse(null)),
                nextEmail, validated)
                .requireValid();
    }

    static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "Conflict", detail));
    }

    private static Optional<Boolean> bool(JsonNode body, String field, List<String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            errors.add(field + ": must be true or false");
            return Optional.empty();
        }
        return Optional.of(node.asBoolean());
    }

    private static Optional<String> oneOf(JsonNode body, String field, List<String> values, List<String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || !values.contains(node.asText())) {
            errors.add(field + ": must be one of " + values);
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }
}
