package dev.ioserverless.profiles;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * IO's {@code EmailAddress} ({@code format: email}): one {@code @}, a local part of the characters
 * RFC 5322 allows unquoted (dot-separated atoms), and a domain of at least two DNS labels; at most
 * 254 characters. Two spellings that differ only in case are the same address for validation.
 */
public final class EmailAddress {
    static final int MAX_LENGTH = 254;
    private static final Pattern ADDRESS = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");

    private EmailAddress() {
    }

    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && value.indexOf('@') <= 64 && ADDRESS.matcher(value).matches();
    }

    /** The form two spellings of one address share: lower case. */
    public static String canonical(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    public static boolean same(String a, String b) {
        return a != null && b != null && canonical(a).equals(canonical(b));
    }
}
