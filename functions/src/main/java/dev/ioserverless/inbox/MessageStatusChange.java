package dev.ioserverless.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * IO's {@code MessageStatusChange}: {@code reading} ({@code is_read: true}), {@code archiving}
 * ({@code is_archived}) or {@code bulk} (both, {@code is_read} optional). A message is never made
 * unread again, so {@code is_read} can only be {@code true}.
 *
 * @param read whether to mark the message read
 * @param archived the archive state to set; null to leave it
 */
public record MessageStatusChange(boolean read, Boolean archived) {

    /**
     * @throws ProblemException a 400 naming every field that is missing, of the wrong type, not
     *     allowed for the change type, or unknown
     */
    public static MessageStatusChange parse(JsonNode body) {
        List<String> errors = new ArrayList<>();
        JsonNode type = body.get("change_type");
        String changeType = type != null && type.isTextual() ? type.textValue() : null;
        if (changeType == null || !Set.of("reading", "archiving", "bulk").contains(changeType)) {
            throw new ProblemException(Problem.badRequest("change_type: required, one of reading, archiving, bulk"));
        }
        Set<String> allowed = switch (changeType) {
            case "reading" -> Set.of("change_type", "is_read");
            case "archiving" -> Set.of("change_type", "is_archived");
            default -> Set.of("change_type", "is_read", "is_archived");
        };
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(name + ": not allowed in a " + changeType + " change");
            }
        }
        JsonNode isRead = body.get("is_read");
        boolean read = false;
        if (changeType.equals("reading") && isRead == null) {
            errors.add("is_read: required in a reading change");
        } else if (isRead != null && allowed.contains("is_read")) {
            if (!isRead.isBoolean() || !isRead.booleanValue()) {
                errors.add("is_read: must be true (a message cannot be marked unread)");
            } else {
                read = true;
            }
        }
        JsonNode isArchived = body.get("is_archived");
        Boolean archived = null;
        if (!changeType.equals("reading")) {
            if (isArchived == null) {
                errors.add("is_archived: required in a " + changeType + " change");
            } else if (!isArchived.isBoolean()) {
                errors.add("is_archived: must be a boolean");
            } else {
                archived = isArchived.booleanValue();
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
        }
        return new MessageStatusChange(read, archived);
    }
}
