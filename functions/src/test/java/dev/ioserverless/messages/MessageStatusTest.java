package dev.ioserverless.messages;

import static dev.ioserverless.messages.MessageStatus.ACCEPTED;
import static dev.ioserverless.messages.MessageStatus.FAILED;
import static dev.ioserverless.messages.MessageStatus.PROCESSED;
import static dev.ioserverless.messages.MessageStatus.REJECTED;
import static dev.ioserverless.messages.RejectionReason.SERVICE_NOT_ALLOWED;
import static dev.ioserverless.messages.RejectionReason.USER_NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageStatusTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "ACCEPTED, ACCEPTED, false",
        "ACCEPTED, PROCESSED, true",
        "ACCEPTED, REJECTED, true",
        "ACCEPTED, FAILED, true",
        "FAILED, ACCEPTED, false",
        "FAILED, PROCESSED, true",
        "FAILED, REJECTED, true",
        "FAILED, FAILED, false",
        "PROCESSED, ACCEPTED, false",
        "PROCESSED, REJECTED, false",
        "PROCESSED, FAILED, false",
        "PROCESSED, PROCESSED, false",
        "REJECTED, ACCEPTED, false",
        "REJECTED, PROCESSED, false",
        "REJECTED, FAILED, false",
        "REJECTED, REJECTED, false"
    })
    void transitions(MessageStatus from, MessageStatus to, boolean allowed) {
        assertEquals(allowed, from.canMoveTo(to));
    }

    @Test
    void finalStatuses() {
        assertTrue(PROCESSED.isFinal());
        assertTrue(REJECTED.isFinal());
        assertFalse(ACCEPTED.isFinal());
        assertFalse(FAILED.isFinal());
    }

    @Test
    void allowedPriors() {
        assertEquals(Set.of(ACCEPTED, FAILED), MessageStatus.allowedPriorsOf(PROCESSED));
        assertEquals(Set.of(ACCEPTED, FAILED), MessageStatus.allowedPriorsOf(REJECTED));
        assertEquals(Set.of(ACCEPTED), MessageStatus.allowedPriorsOf(FAILED));
        assertEquals(Set.of(), MessageStatus.allowedPriorsOf(ACCEPTED));
    }

    @Test
    void repeatingATransitionIsANoOp() {
        assertEquals(StatusChange.UNCHANGED, MessageStatus.evaluate(PROCESSED, null, PROCESSED, null));
        assertEquals(StatusChange.UNCHANGED, MessageStatus.evaluate(FAILED, null, FAILED, null));
        assertEquals(StatusChange.UNCHANGED,
                MessageStatus.evaluate(REJECTED, USER_NOT_FOUND, REJECTED, USER_NOT_FOUND));
    }

    @Test
    void leavingAFinalStatusIsRefusedNotAnError() {
        assertEquals(StatusChange.REFUSED, MessageStatus.evaluate(PROCESSED, null, FAILED, null));
        assertEquals(StatusChange.REFUSED, MessageStatus.evaluate(REJECTED, USER_NOT_FOUND, PROCESSED, null));
        assertEquals(StatusChange.REFUSED,
                MessageStatus.evaluate(REJECTED, USER_NOT_FOUND, REJECTED, SERVICE_NOT_ALLOWED));
    }

    @Test
    void allowedTransitionsApply() {
        assertEquals(StatusChange.APPLIED, MessageStatus.evaluate(ACCEPTED, null, PROCESSED, null));
        assertEquals(StatusChange.APPLIED, MessageStatus.evaluate(FAILED, null, REJECTED, USER_NOT_FOUND));
    }

    @Test
    void rejectionNeedsAReasonAndOnlyRejectionHasOne() {
        MessageStatus.checkReason(REJECTED, USER_NOT_FOUND);
        MessageStatus.checkReason(PROCESSED, null);
        assertThrows(IllegalArgumentException.class, () -> MessageStatus.checkReason(REJECTED, null));
        assertThrows(IllegalArgumentException.class, () -> MessageStatus.checkReason(FAILED, SERVICE_NOT_ALLOWED));
    }
}
