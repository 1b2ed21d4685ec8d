package dev.ioserverless.reminders;

import static dev.ioserverless.common.DynamoAttributes.s;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.DynamoMessageStore;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The status item's {@link DynamoMessageStore#REMINDERS} list: one map per reminder used, oldest
 * first, {@code {kind, sent_at}} for one sent to the citizen's devices and {@code {kind,
 * skipped_at}} for one skipped. {@code kind} is REMINDER_PAYMENT or REMINDER_PAYMENT_LAST, the
 * times {@link Timestamps}' format. The reminder function appends to it; the sender's detail view
 * reads it.
 */
public final class ReminderItems {
    public static final String KIND = "kind";
    public static final String SENT_AT = "sent_at";
    public static final String SKIPPED_AT = "skipped_at";

    private ReminderItems() {
    }

    public static AttributeValue toAttribute(ReminderSlot slot) {
        return AttributeValue.fromM(Map.of(KIND, s(slot.kind().name()),
                slot.sent() ? SENT_AT : SKIPPED_AT, s(Timestamps.format(slot.at()))));
    }

    /** The reminders a status item lists, oldest first; entries this version cannot read are left out. */
    public static List<ReminderSlot> fromItem(Map<String, AttributeValue> item) {
        AttributeValue list = item.get(DynamoMessageStore.REMINDERS);
        List<ReminderSlot> slots = new ArrayList<>();
        if (list == null || !list.hasL()) {
            return slots;
        }
        for (AttributeValue entry : list.l()) {
            if (!entry.hasM()) {
                continue;
            }
            Map<String, AttributeValue> map = entry.m();
            try {
                ReminderKind kind = ReminderKind.valueOf(map.get(KIND).s());
                if (map.get(SENT_AT) != null) {
                    slots.add(ReminderSlot.sent(kind, Timestamps.parse(map.get(SENT_AT).s())));
                } else if (map.get(SKIPPED_AT) != null) {
                    slots.add(ReminderSlot.skipped(kind, Timestamps.parse(map.get(SKIPPED_AT).s())));
                }
            } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
                // Not a reminder this version knows: ignore it rather than fail the message.
            }
        }
        return slots;
    }

    /** The reminders sent (not skipped), oldest first. */
    public static List<ReminderSlot> sentFromItem(Map<String, AttributeValue> item) {
        return fromItem(item).stream().filter(ReminderSlot::sent).toList();
    }
}
