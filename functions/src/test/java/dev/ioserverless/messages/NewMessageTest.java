package dev.ioserverless.messages;

import static dev.ioserverless.messages.TestMessages.body;
import static dev.ioserverless.messages.TestMessages.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.ProblemException;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NewMessageTest {
    static final String CF = "RSSMRA80A01H501U";

    static NewMessage parse(JsonNode body) {
        return NewMessage.parse(body, CF);
    }

    static String detailOf(JsonNode body) {
        return detailOf(body, CF);
    }

    static String detailOf(JsonNode body, String pathFiscalCode) {
        ProblemException e = assertThrows(ProblemException.class, () -> NewMessage.parse(body, pathFiscalCode));
        assertEquals(400, e.problem().status());
        return e.problem().detail();
    }

    static ObjectNode content(ObjectNode body) {
        return (ObjectNode) body.get("content");
    }

    static ObjectNode withPayment(ObjectNode body) {
        ObjectNode payment = content(body).putObject("payment_data");
        payment.put("amount", 12_345);
        payment.put("notice_number", "012345678901234567");
        return body;
    }

    @Test
    void minimalBodyGetsTheDefaults() {
        NewMessage message = parse(body());
        assertEquals(CF, message.fiscalCode());
        assertEquals(3600, message.timeToLive());
        assertEquals(FeatureLevelType.STANDARD, message.featureLevelType());
        assertEquals(TestMessages.SUBJECT, message.content().subject());
        assertEquals(TestMessages.MARKDOWN, message.content().markdown());
        assertNull(message.content().dueDate());
        assertNull(message.content().paymentData());
        assertNull(message.content().requireSecureChannels());
    }

    @Test
    void fullBodyIsRead() {
        ObjectNode body = withPayment(body());
        body.put("time_to_live", 7200);
        body.put("feature_level_type", "ADVANCED");
        content(body).put("due_date", "2024-12-31T23:59:59.000Z");
        content(body).put("require_secure_channels", true);
        ObjectNode payment = (ObjectNode) content(body).get("payment_data");
        payment.put("invalid_after_due_date", true);
        payment.putObject("payee").put("fiscal_code", "01199250158");

        NewMessage message = parse(body);

        assertEquals(7200, message.timeToLive());
        assertEquals(FeatureLevelType.ADVANCED, message.featureLevelType());
        assertEquals(Instant.parse("2024-12-31T23:59:59Z"), message.content().dueDate());
        assertTrue(message.content().requireSecureChannels());
        assertEquals(new PaymentData(12_345, "012345678901234567", true, "01199250158"), message.content().paymentData());
    }

    @Test
    void unknownFieldsAreIgnoredAndNotKept() {
        ObjectNode body = body();
        body.put("sender_metadata", "x");
        content(body).putObject("eu_covid_cert").put("auth_code", "x");
        content(body).put("anything", 1);
        NewMessage message = parse(body);
        JsonNode stored = message.content().toJson();
        assertEquals(2, stored.size(), stored.toString());
        assertFalse(stored.has("eu_covid_cert"));
    }

    @Nested
    class FiscalCodes {
        @Test
        void bodyFiscalCodeAloneIsAccepted() {
            ObjectNode body = body();
            body.put("fiscal_code", CF);
            assertEquals(CF, NewMessage.parse(body, null).fiscalCode());
        }

        @Test
        void bothPathAndBodyIsA400() {
            ObjectNode body = body();
            body.put("fiscal_code", CF);
            assertEquals("fiscal_code: must be given either in the path or in the body, not both",
                    detailOf(body, CF));
        }

        @Test
        void neitherIsA400() {
            assertEquals("fiscal_code: required, in the path or in the body", detailOf(body(), null));
        }

        @Test
        void bodyFiscalCodeOfWrongTypeIsA400() {
            ObjectNode body = body();
            body.put("fiscal_code", 12);
            assertEquals("fiscal_code: must be a string", detailOf(body, null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"RSSMRA80A01H501U", "MRTMTT25D09F205Z", "RSSMRALMALMH5LMU", "AAAAAA00A00A000A"})
        void validFiscalCodes(String fiscalCode) {
            assertEquals(fiscalCode, NewMessage.parse(body(), fiscalCode).fiscalCode());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "rssmra80a01h501u", "RSSMRA80A01H501", "RSSMRA80A01H501UX", "RSSMRA80Z01H501U",
            "RSSMRA80A01H50AU", "RSSMRAW0A01H501U", "1SSMRA80A01H501U", "RSSMRA80A01H501 ", "RSSMRA80A01H5O1U"})
        void invalidFiscalCodes(String fiscalCode) {
            String detail = detailOf(body(), fiscalCode);
            assertTrue(detail.startsWith("fiscal_code: must be a valid fiscal code"), detail);
            assertFalse(detail.contains(fiscalCode.isEmpty() ? "\u0000" : fiscalCode), "detail must not echo the value");
        }
    }

    @Nested
    class Subject {
        @ParameterizedTest
        @ValueSource(ints = {10, 11, 119, 120})
        void lengthsWithinBoundsAreAccepted(int length) {
            ObjectNode body = body();
            content(body).put("subject", repeat('s', length));
            assertEquals(length, parse(body).content().subject().length());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 9, 121, 500})
        void lengthsOutsideBoundsAreRejected(int length) {
            ObjectNode body = body();
            content(body).put("subject", repeat('s', length));
            assertEquals("content.subject: must be 10 to 120 characters", detailOf(body));
        }

        @Test
        void missingIsRejected() {
            ObjectNode body = body();
            content(body).remove("subject");
            assertEquals("content.subject: required", detailOf(body));
        }

        @Test
        void numberIsRejected() {
            ObjectNode body = body();
            content(body).put("subject", 1234567890123L);
            assertEquals("content.subject: must be a string", detailOf(body));
        }

        @Test
        void nullIsRejected() {
            ObjectNode body = body();
            content(body).putNull("subject");
            assertEquals("content.subject: must be a string", detailOf(body));
        }
    }

    @Nested
    class Markdown {
        @ParameterizedTest
        @ValueSource(ints = {80, 81, 9999, 10000})
        void lengthsWithinBoundsAreAccepted(int length) {
            ObjectNode body = body();
            content(body).put("markdown", repeat('m', length));
            assertEquals(length, parse(body).content().markdown().length());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 79, 10001})
        void lengthsOutsideBoundsAreRejected(int length) {
            ObjectNode body = body();
            content(body).put("markdown", repeat('m', length));
            assertEquals("content.markdown: must be 80 to 10000 characters", detailOf(body));
        }

        @Test
        void missingIsRejected() {
            ObjectNode body = body();
            content(body).remove("markdown");
            assertEquals("content.markdown: required", detailOf(body));
        }

        @Test
        void arrayIsRejected() {
            ObjectNode body = body();
            content(body).putArray("markdown").add(TestMessages.MARKDOWN);
            assertEquals("content.markdown: must be a string", detailOf(body));
        }
    }

    @Nested
    class Content {
        @Test
        void missingIsRejected() {
            ObjectNode body = body();
            body.remove("content");
            assertEquals("content: required", detailOf(body));
        }

        @Test
        void stringIsRejected() {
            ObjectNode body = body();
            body.put("content", "hello");
            assertEquals("content: must be an object", detailOf(body));
        }

        @Test
        void everyBrokenRuleIsReported() {
            ObjectNode body = body();
            body.put("time_to_live", 1);
            content(body).put("subject", "short");
            content(body).put("markdown", "short");
            String detail = detailOf(body);
            assertEquals("time_to_live: must be between 3600 and 604800; "
                    + "content.subject: must be 10 to 120 characters; "
                    + "content.markdown: must be 80 to 10000 characters", detail);
        }
    }

    @Nested
    class TimeToLive {
        @ParameterizedTest
        @ValueSource(ints = {3600, 3601, 604799, 604800})
        void withinBoundsIsAccepted(int ttl) {
            ObjectNode body = body();
            body.put("time_to_live", ttl);
            assertEquals(ttl, parse(body).timeToLive());
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, 3599, 604801, 4_294_967_296L})
        void outsideBoundsIsRejected(long ttl) {
            ObjectNode body = body();
            body.put("time_to_live", ttl);
            assertEquals("time_to_live: must be between 3600 and 604800", detailOf(body));
        }

        @Test
        void hugeIntegerIsRejectedNot500() {
            JsonNode body = Json.read("{\"time_to_live\": 123456789012345678901234567890, \"content\": "
                    + content(body()) + "}");
            assertEquals("time_to_live: must be between 3600 and 604800", detailOf(body));
        }

        @Test
        void integralFloatIsAnInteger() {
            JsonNode body = Json.read("{\"time_to_live\": 7200.0, \"content\": " + content(body()) + "}");
            assertEquals(7200, parse(body).timeToLive());
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"3600\"", "3600.5", "true", "null", "[3600]", "{}", "1e400"})
        void wrongTypeIsRejected(String json) {
            JsonNode body = Json.read("{\"time_to_live\": " + json + ", \"content\": " + content(body()) + "}");
            assertEquals("time_to_live: must be an integer", detailOf(body));
        }
    }

    @Nested
    class FeatureLevel {
        @Test
        void advancedIsRead() {
            ObjectNode body = body();
            body.put("feature_level_type", "ADVANCED");
            assertEquals(FeatureLevelType.ADVANCED, parse(body).featureLevelType());
        }

        @ParameterizedTest
        @ValueSource(strings = {"advanced", "PREMIUM", ""})
        void unknownValueIsRejected(String value) {
            ObjectNode body = body();
            body.put("feature_level_type", value);
            assertEquals("feature_level_type: must be one of STANDARD, ADVANCED", detailOf(body));
        }

        @Test
        void numberIsRejected() {
            ObjectNode body = body();
            body.put("feature_level_type", 1);
            assertEquals("feature_level_type: must be a string", detailOf(body));
        }
    }

    @Nested
    class DueDate {
        @ParameterizedTest
        @CsvSource({
            "2018-10-13T00:00:00.000Z, 2018-10-13T00:00:00Z",
            "2018-10-13T00:00:00Z, 2018-10-13T00:00:00Z",
            "2018-10-13T00:00:00, 2018-10-13T00:00:00Z",
            "2018-10-13T10:20:30.5Z, 2018-10-13T10:20:30.500Z",
            "2018-10-13T10:20:30.123456789Z, 2018-10-13T10:20:30.123Z",
            "2024-02-29T23:59:59.999Z, 2024-02-29T23:59:59.999Z"
        })
        void utcTimestampsAreAccepted(String text, String expected) {
            ObjectNode body = body();
            content(body).put("due_date", text);
            assertEquals(Instant.parse(expected), parse(body).content().dueDate());
        }

        @ParameterizedTest
        @ValueSource(strings = {"2018-10-13", "2018-10-13T00:00:00+01:00", "2018-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z", "2018-10-13T24:00:00Z", "2018-10-13 00:00:00Z", "13/10/2018", "",
            "2018-10-13T00:00:00.Z", "2018-10-13T00:00:00.1234567890Z", "tomorrow"})
        void otherStringsAreRejected(String text) {
            ObjectNode body = body();
            content(body).put("due_date", text);
            assertEquals("content.due_date: must be an ISO-8601 UTC timestamp such as 2018-10-13T00:00:00.000Z",
                    detailOf(body));
        }

        @Test
        void numberIsRejected() {
            ObjectNode body = body();
            content(body).put("due_date", 1_700_000_000_000L);
            assertEquals("content.due_date: must be a string", detailOf(body));
        }
    }

    @Nested
    class Payment {
        ObjectNode payment(ObjectNode body) {
            return (ObjectNode) content(body).get("payment_data");
        }

        @Test
        void defaultsInvalidAfterDueDateToFalseAndLeavesPayeeUnset() {
            PaymentData data = parse(withPayment(body())).content().paymentData();
            assertFalse(data.invalidAfterDueDate());
            assertFalse(data.hasPayee());
        }

        @ParameterizedTest
        @ValueSource(longs = {1, 2, 9_999_999_998L, 9_999_999_999L})
        void amountsWithinBoundsAreAccepted(long amount) {
            ObjectNode body = withPayment(body());
            payment(body).put("amount", amount);
            assertEquals(amount, parse(body).content().paymentData().amount());
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, 10_000_000_000L, Long.MAX_VALUE})
        void amountsOutsideBoundsAreRejected(long amount) {
            ObjectNode body = withPayment(body());
            payment(body).put("amount", amount);
            assertEquals("content.payment_data.amount: must be between 1 and 9999999999 (euro cents)",
                    detailOf(body));
        }

        @ParameterizedTest
        @ValueSource(strings = {"12.5", "\"100\"", "null", "true"})
        void amountsOfWrongTypeAreRejected(String json) {
            ObjectNode body = withPayment(body());
            payment(body).set("amount", Json.read(json));
            assertEquals("content.payment_data.amount: must be an integer", detailOf(body));
        }

        @Test
        void missingAmountIsRejected() {
            ObjectNode body = withPayment(body());
            payment(body).remove("amount");
            assertEquals("content.payment_data.amount: required", detailOf(body));
        }

        @ParameterizedTest
        @ValueSource(strings = {"012345678901234567", "112345678901234567", "212345678901234567",
            "312345678901234567", "399999999999999999", "000000000000000000"})
        void noticeNumbersMatchingThePatternAreAccepted(String notice) {
            ObjectNode body = withPayment(body());
            payment(body).put("notice_number", notice);
            assertEquals(notice, parse(body).content().paymentData().noticeNumber());
        }

        @ParameterizedTest
        @ValueSource(strings = {"412345678901234567", "01234567890123456", "0123456789012345678", "01234567890123456A",
            "", " 012345678901234567", "9"})
        void otherNoticeNumbersAreRejected(String notice) {
            ObjectNode body = withPayment(body());
            payment(body).put("notice_number", notice);
            assertEquals("content.payment_data.notice_number: must match ^[0123][0-9]{17}$", detailOf(body));
        }

        @Test
        void numericNoticeNumberIsRejected() {
            ObjectNode body = withPayment(body());
            payment(body).put("notice_number", 12345678901234567L);
            assertEquals("content.payment_data.notice_number: must be a string", detailOf(body));
        }

        @Test
        void missingNoticeNumberIsRejected() {
            ObjectNode body = withPayment(body());
            payment(body).remove("notice_number");
            assertEquals("content.payment_data.notice_number: required", detailOf(body));
        }

        @Test
        void invalidAfterDueDateMustBeBoolean() {
            ObjectNode body = withPayment(body());
            payment(body).put("invalid_after_due_date", "true");
            assertEquals("content.payment_data.invalid_after_due_date: must be a boolean", detailOf(body));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0119925015", "011992501588", "0119925015A", ""})
        void payeeFiscalCodeMustBe11Digits(String fiscalCode) {
            ObjectNode body = withPayment(body());
            payment(body).putObject("payee").put("fiscal_code", fiscalCode);
            assertEquals("content.payment_data.payee.fiscal_code: must be 11 digits", detailOf(body));
        }

        @Test
        void payeeWithoutFiscalCodeIsRejected() {
            ObjectNode body = withPayment(body());
            payment(body).putObject("payee");
            assertEquals("content.payment_data.payee.fiscal_code: required", detailOf(body));
        }

        @Test
        void payeeMustBeObject() {
            ObjectNode body = withPayment(body());
            payment(body).put("payee", "01199250158");
            assertEquals("content.payment_data.payee: must be an object", detailOf(body));
        }

        @Test
        void paymentDataMustBeObject() {
            ObjectNode body = body();
            content(body).putArray("payment_data");
            assertEquals("content.payment_data: must be an object", detailOf(body));
        }
    }

    @Test
    void requireSecureChannelsMustBeBoolean() {
        ObjectNode body = body();
        content(body).put("require_secure_channels", "yes");
        assertEquals("content.require_secure_channels: must be a boolean", detailOf(body));
    }

    @Test
    void contentAloneCanBeValidated() {
        MessageContent content = MessageContent.parse(content(body()));
        assertEquals(TestMessages.SUBJECT, content.subject());
        ProblemException e = assertThrows(ProblemException.class,
                () -> MessageContent.parse(Json.read("{\"subject\": \"short\"}")));
        assertEquals("content.subject: must be 10 to 120 characters; content.markdown: required", e.problem().detail());
        assertEquals("content: must be an object",
                assertThrows(ProblemException.class, () -> MessageContent.parse(Json.read("[]"))).problem().detail());
    }

    @Test
    void contentRoundTripsThroughItsJsonForm() {
        ObjectNode body = withPayment(body());
        content(body).put("due_date", "2024-12-31T23:59:59.5Z");
        content(body).put("require_secure_channels", false);
        MessageContent parsed = parse(body).content();
        ObjectNode json = parsed.toJson();
        assertEquals(parsed, MessageContent.fromJson(json));
        assertEquals(json, MessageContent.fromJson(Json.read(Json.write(json))).toJson());
        assertEquals("2024-12-31T23:59:59.500Z", json.get("due_date").textValue());
    }
}
