package dev.ioserverless.profiles;

import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import java.security.SecureRandom;

/**
 * The wiring of the profile's email, from configuration to collaborators, in one place:
 * {@code VALIDATED_EMAILS_TABLE} (keyed by an HMAC of the address under {@code LOG_HASH_KEY}, with
 * its own purpose string), {@code EMAIL_VALIDATION_TOKENS_TABLE}, {@code PROFILES_TABLE}, the attempt counters in
 * {@code RATE_LIMITS_TABLE}, and the
 * SESv2 sender from {@code EMAIL_FROM_ADDRESS} with {@code EMAIL_CONFIGURATION_SET}.
 */
public final class ProfileEmails {
    static final String VALIDATED_EMAILS_TABLE = "VALIDATED_EMAILS_TABLE";
    static final String TOKENS_TABLE = "EMAIL_VALIDATION_TOKENS_TABLE";
    /** The citizen API's public base URL, ending in /api/v1; when empty, the request's own host. */
    static final String PUBLIC_URL = "CITIZEN_API_PUBLIC_URL";

    /** The validated addresses of a function that must never read or claim one. */
    private static final ValidatedEmails NO_ADDRESSES = new ValidatedEmails() {
        @Override
        public java.util.Optional<String> holder(String email) {
            throw new IllegalStateException("this function reads no validated address");
        }

        @Override
        public boolean claim(String email, String fiscalCode) {
            throw new IllegalStateException("this function claims no address");
        }

        @Override
        public void release(String email, String fiscalCode) {
            throw new IllegalStateException("this function releases no address");
        }
    };

    private ProfileEmails() {
    }

    /** The validated addresses, as the functions given {@code VALIDATED_EMAILS_TABLE} keep them (the local demo seeds one). */
    public static ValidatedEmails validatedEmails(Config config) {
        return new DynamoValidatedEmails(AwsClients.dynamoDb(config), config.require(VALIDATED_EMAILS_TABLE),
                config.require("LOG_HASH_KEY"));
    }

    static EmailValidationTokens tokens(Config config) {
        return new DynamoEmailValidationTokens(AwsClients.dynamoDb(config), config.require(TOKENS_TABLE));
    }

    static ValidationMailer mailer(Config config) {
        return new SesValidationMailer(AwsClients.sesV2(config), config.require("EMAIL_FROM_ADDRESS"),
                config.get("EMAIL_CONFIGURATION_SET", ""));
    }

    /**
     * @param sends for the function that starts validations (it sends the email and never claims an
     *     address); otherwise for the one that uses links (it claims addresses and sends nothing)
     */
    static EmailValidation validation(Config config, boolean sends) {
        return new EmailValidation(new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")),
                // Starting a validation claims no address; using a link sends no email.
                tokens(config), sends ? NO_ADDRESSES : validatedEmails(config),
                sends ? mailer(config) : email -> {
                    throw new IllegalStateException("this function sends no email");
                },
                new DynamoAttemptCounter(AwsClients.dynamoDb(config), config.require("RATE_LIMITS_TABLE")),
                config.clock(), new SecureRandom());
    }
}
