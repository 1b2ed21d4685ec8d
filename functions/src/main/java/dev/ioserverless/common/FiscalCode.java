package dev.ioserverless.common;

import java.util.regex.Pattern;

/**
 * The Italian fiscal code (codice fiscale) of a citizen, in IO's format: 16 upper-case
 * characters, with the letters L-V allowed in the digit positions (omocodia).
 */
public final class FiscalCode {
    public static final String PATTERN =
            "^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$";
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    /** The fiscal code of an organization (codice fiscale / partita IVA of a public body): 11 digits. */
    public static final String ORGANIZATION_PATTERN = "^[0-9]{11}$";
    private static final Pattern ORGANIZATION_COMPILED = Pattern.compile(ORGANIZATION_PATTERN);

    private FiscalCode() {
    }

    public static boolean isValid(String value) {
        return value != null && COMPILED.matcher(value).matches();
    }

    public static boolean isValidOrganization(String value) {
        return value != null && ORGANIZATION_COMPILED.matcher(value).matches();
    }
}
