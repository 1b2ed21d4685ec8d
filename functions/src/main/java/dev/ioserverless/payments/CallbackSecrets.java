package dev.ioserverless.payments;

import java.util.List;

/** The secrets a payment callback may be signed with right now: one, or two during a rotation. */
public interface CallbackSecrets {
    List<String> current();

    /**
     * The secrets in a parameter's value: one per line (or separated by commas), blank entries
     * ignored, each at least {@link #MIN_LENGTH} characters, at most {@link #MAX_SECRETS}.
     *
     * @throws IllegalStateException when the value holds none, too many, or a short one (the
     *     message never includes a secret)
     */
    static List<String> parse(String value) {
        List<String> secrets = new java.util.ArrayList<>();
        for (String entry : value.split("[\\n,]")) {
            String secret = entry.trim();
            if (!secret.isEmpty()) {
                if (secret.length() < MIN_LENGTH) {
                    throw new IllegalStateException("a payment callback secret is shorter than " + MIN_LENGTH + " characters");
                }
                secrets.add(secret);
            }
        }
        if (secrets.isEmpty() || secrets.size() > MAX_SECRETS) {
            throw new IllegalStateException("the payment callback secret parameter must hold 1 to " + MAX_SECRETS
                    + " secrets, one per line; it holds " + secrets.size());
        }
        return List.copyOf(secrets);
    }

    int MIN_LENGTH = 32;
    int MAX_SECRETS = 2;
}
