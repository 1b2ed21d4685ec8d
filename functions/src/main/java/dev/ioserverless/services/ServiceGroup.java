package dev.ioserverless.services;

import java.util.Optional;

/** The permission groups of a service's subscription, with IO's names. */
public enum ServiceGroup {
    /** Send messages to any citizen. */
    ApiMessageWrite,
    /** Send messages only to the service's {@code authorized_recipients}. */
    ApiLimitedMessageWrite,
    /** Set a payee other than the service's own organization on a payment notice. */
    ApiMessageWriteWithPayee,
    /** Send messages with {@code feature_level_type} ADVANCED. */
    ApiMessageWriteAdvanced,
    /** Read a citizen's limited profile. */
    ApiLimitedProfileRead,
    /** Read the messages the service sent and their status. */
    ApiMessageRead,
    /** Read advanced message data (read status, payment status) of ADVANCED messages. */
    ApiMessageReadAdvanced;

    /** The group with this exact name; empty for a name this version does not know. */
    public static Optional<ServiceGroup> fromName(String name) {
        for (ServiceGroup group : values()) {
            if (group.name().equals(name)) {
                return Optional.of(group);
            }
        }
        return Optional.empty();
    }
}
