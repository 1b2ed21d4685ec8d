package dev.ioserverless.push;

import java.util.Optional;

/** A message's subject, for the push of a citizen who chose to see it. */
public interface MessageTitles {
    MessageTitles NONE = messageId -> Optional.empty();

    Optional<String> titleOf(String messageId);
}
