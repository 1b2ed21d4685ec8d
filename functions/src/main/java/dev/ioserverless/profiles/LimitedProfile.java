package dev.ioserverless.profiles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import java.util.List;
import java.util.Optional;

/**
 * What a service may learn about a citizen: IO's {@code LimitedProfile}, whether the service may
 * write to them ({@code sender_allowed}, the {@link PreferenceDecision}) and their preferred
 * languages.
 *
 * <p>A citizen without a profile, or with their inbox disabled, has no limited profile at all
 * (the API answers 404 for both, so a service cannot tell them apart).
 */
public record LimitedProfile(boolean senderAllowed, List<String> preferredLanguages) {

    public LimitedProfile {
        preferredLanguages = List.copyOf(preferredLanguages);
    }

    /**
     * The limited profile of {@code profile} as {@code serviceId} sees it; empty when there is no
     * profile or its inbox is disabled.
     *
     * @param preference the citizen's preference for the service, if {@link
     *     PreferenceDecision#needsServicePreference} asked for it
     */
    public static Optional<LimitedProfile> of(Optional<Profile> profile, String serviceId,
                                              Optional<ServicePreference> preference) {
        if (profile.isEmpty() || !profile.get().isInboxEnabled()) {
            return Optional.empty();
        }
        PreferenceDecision decision = PreferenceDecision.decide(profile, serviceId, preference);
        return Optional.of(new LimitedProfile(decision.allowsDelivery(), profile.get().preferredLanguages()));
    }

    /** IO's {@code LimitedProfile} JSON: exactly {@code sender_allowed} and {@code preferred_languages}. */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("sender_allowed", senderAllowed);
        ArrayNode languages = node.putArray("preferred_languages");
        preferredLanguages.forEach(languages::add);
        return node;
    }
}
