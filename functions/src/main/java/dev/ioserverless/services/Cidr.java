package dev.ioserverless.services;

import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}). A bare
 * address means the single host ({@code /32} or {@code /128}); host bits set in the address are
 * cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 *
 * <p>Families do not mix: an IPv4 network never contains an IPv6 address and the reverse,
 * except that an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is matched as the IPv4
 * address it carries, and an IPv4-mapped network ({@code ::ffff:192.0.2.0/120}) as its IPv4
 * network.
 */
public final class Cidr {
    private final IpAddress network;
    private final int prefixLength;

    private Cidr(IpAddress network, int prefixLength) {
        this.network = network.masked(prefixLength);
        this.prefixLength = prefixLength;
    }

    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        Optional<IpAddress> address = IpAddress.parse(addressPart);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().bitLength();
        int prefix = bits;
        if (slash >= 0) {
            prefix = prefixLength(trimmed.substring(slash + 1));
            if (prefix < 0 || prefix > bits) {
                return Optional.empty();
            }
        }
        IpAddress network = address.get();
        if (network.isIpv4Mapped() && prefix >= 96) {
            return Optional.of(new Cidr(network.unmapped(), prefix - 96));
        }
        return Optional.of(new Cidr(network, prefix));
    }

    /** True when {@code text} is an IP literal inside this network. */
    public boolean contains(String text) {
        return IpAddress.parse(text).map(this::contains).orElse(false);
    }

    public boolean contains(IpAddress address) {
        IpAddress candidate = address.unmapped();
        if (candidate.bitLength() != network.bitLength()) {
            return false;
        }
        return candidate.masked(prefixLength).equals(network);
    }

    public int prefixLength() {
        return prefixLength;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && prefixLength == that.prefixLength && network.equals(that.network);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }

    private static int prefixLength(String digits) {
        if (digits.isEmpty() || digits.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
