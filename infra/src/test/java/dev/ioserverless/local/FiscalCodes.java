package dev.ioserverless.local;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh, well-formed fiscal codes, so each test works on citizens no other test touches. */
public final class FiscalCodes {
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String MONTHS = "ABCDEHLMPRST";

    private FiscalCodes() {
    }

    public static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            code.append(LETTERS.charAt(r.nextInt(26)));
        }
        code.append(String.format("%02d", r.nextInt(100)));
        code.append(MONTHS.charAt(r.nextInt(MONTHS.length())));
        code.append(String.format("%02d", 1 + r.nextInt(28)));
        code.append(LETTERS.charAt(r.nextInt(26)));
        code.append(String.format("%03d", r.nextInt(1000)));
        code.append(LETTERS.charAt(r.nextInt(26)));
        return code.toString();
    }
}
