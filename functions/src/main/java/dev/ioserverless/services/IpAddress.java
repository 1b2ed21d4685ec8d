package dev.ioserverless.services;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address parsed from its literal form, without any name resolution (unlike
 * {@link java.net.InetAddress#getByName}, which would look up anything that is not a literal).
 *
 * <p>Accepted: dotted-quad IPv4 ({@code 192.0.2.1}, decimal, no leading zeros) and IPv6 in the
 * RFC 4291 text forms, with {@code ::} compression and an optional trailing dotted quad
 * ({@code ::ffff:192.0.2.1}). Rejected: zone ids ({@code fe80::1%eth0}), brackets, ports,
 * surrounding spaces.
 */
public final class IpAddress {
    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        byte[] parsed = text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
        return parsed == null ? Optional.empty() : Optional.of(new IpAddress(parsed));
    }

    public boolean isIpv4() {
        return bytes.length == 4;
    }

    /** 32 for IPv4, 128 for IPv6. */
    public int bitLength() {
        return bytes.length * 8;
    }

    /** True for an IPv4-mapped IPv6 address, {@code ::ffff:a.b.c.d}. */
    public boolean isIpv4Mapped() {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** The IPv4 address behind an IPv4-mapped IPv6 address; any other address unchanged. */
    public IpAddress unmapped() {
        return isIpv4Mapped() ? new IpAddress(Arrays.copyOfRange(bytes, 12, 16)) : this;
    }

    /** A copy with every bit from {@code prefixLength} on cleared. */
    IpAddress masked(int prefixLength) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsKept = Math.max(0, Math.min(8, prefixLength - i * 8));
            out[i] = (byte) (out[i] & (0xff00 >>> bitsKept));
        }
        return new IpAddress(out);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpAddress that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (isIpv4()) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    out.append('.');
                }
                out.append(bytes[i] & 0xff);
            }
            return out.toString();
        }
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
        }
        return out.toString();
    }

    private static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = decimalOctet(parts[i]);
            if (value < 0) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    private static int decimalOctet(String part) {
        if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }

    private static byte[] parseIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = groups(head, gap < 0);
        int[] tailGroups = groups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (all[i] >>> 8);
            out[2 * i + 1] = (byte) all[i];
        }
        return out;
    }

    /**
     * The 16-bit groups of one side of an IPv6 literal; a dotted quad is allowed as the last
     * element only when this side ends the address ({@code endsAddress}) and counts as two groups.
     */
    private static int[] groups(String side, boolean endsAddress) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        boolean embeddedIpv4 = endsAddress && parts[parts.length - 1].indexOf('.') >= 0;
        int[] out = new int[parts.length + (embeddedIpv4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            if (embeddedIpv4 && i == parts.length - 1) {
                byte[] v4 = parseIpv4(parts[i]);
                if (v4 == null) {
                    return null;
                }
                out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            int group = hexGroup(parts[i]);
            if (group < 0) {
                return null;
            }
            out[i] = group;
        }
        return out;
    }

    private static int hexGroup(String part) {
        if (part.isEmpty() || part.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            int digit = Character.digit(part.charAt(i), 16);
            if (digit < 0 || part.charAt(i) > 'f') {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }
}
