package dev.ioserverless.documents;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which destinations the platform may contact on a public body's behalf. A body's base URL is
 * untrusted input: left unchecked it would let anyone who can register a configuration make the
 * platform call its own network (the cloud metadata service at 169.254.169.254 or
 * {@code fd00:ec2::254}, a VPC address, a local emulator) with a citizen's fiscal code attached.
 *
 * <p>{@link #vet(URI)} resolves the host once and checks <em>every</em> address it resolves to;
 * the client then connects to the returned address itself, so nothing resolves the name a second
 * time (which is what a DNS-rebinding attack relies on). IP literals are parsed, never looked up.
 *
 * <ul>
 *   <li>{@link #publicOnly()}, deployed: https only, public unicast addresses only;</li>
 *   <li>{@link #allowLoopback()}, the local platform: http or https, and loopback (127/8, ::1)
 *       allowed as well; every other non-public address is still refused.</li>
 * </ul>
 *
 * Refused everywhere: user information in the URL ({@code https://user@host}), a host the URL
 * parser cannot name, and these addresses: 0/8, 10/8, 100.64/10, 169.254/16, 172.16/12,
 * 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24,
 * 224/4 (multicast), 240/4 (with 255.255.255.255); in IPv6 {@code ::}, everything outside
 * 2000::/3 (so fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64), 2001::/23 (Teredo among
 * them), 2001:db8::/32, 3fff::/20, IPv4-compatible {@code ::a.b.c.d}; IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16}) addresses
 * are judged by the IPv4 address they embed.
 */
public final class AddressPolicy {
    /** Looks a host name up; the default is the system resolver. Tests inject their own. */
    @FunctionalInterface
    public interface Resolver {
        /** Every address the name resolves to. */
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    private static final Pattern DOTTED_QUAD = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final boolean loopbackAllowed;
    private final Resolver resolver;

    private AddressPolicy(boolean loopbackAllowed, Resolver resolver) {
        this.loopbackAllowed = loopbackAllowed;
        this.resolver = resolver;
    }

    /** The deployed policy: https, and only public unicast addresses. */
    public static AddressPolicy publicOnly() {
        return new AddressPolicy(false, SYSTEM);
    }

    /** The local platform's policy: http or https, public or loopback addresses. */
    public static AddressPolicy allowLoopback() {
        return new AddressPolicy(true, SYSTEM);
    }

    /** The same policy looking names up with {@code resolver}. */
    public AddressPolicy withResolver(Resolver resolver) {
        return new AddressPolicy(loopbackAllowed, Objects.requireNonNull(resolver, "resolver"));
    }

    /**
     * The address to connect to for {@code url}: its host resolved once, every resolved address
     * permitted, the first one returned.
     *
     * @throws RemoteContentException {@link RemoteContentException.Kind#BAD_GATEWAY} when the
     *     scheme, the URL's form, the name's resolution or any resolved address is refused
     */
    public InetAddress vet(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost();
        String shown = host == null ? "(no host)" : host;
        if (!(scheme.equals("https") || (loopbackAllowed && scheme.equals("http")))) {
            throw refused(shown, "the scheme " + (scheme.isEmpty() ? "(none)" : scheme) + " is not allowed");
        }
        if (url.getRawUserInfo() != null || (url.getRawAuthority() != null && url.getRawAuthority().contains("@"))) {
            throw refused(shown, "user information in the URL is not allowed");
        }
        if (host == null || host.isEmpty()) {
            throw refused(shown, "the URL names no host");
        }
        List<InetAddress> addresses;
        try {
            InetAddress literal = literal(host);
            addresses = literal != null ? List.of(literal) : resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw refused(shown, "the host does not resolve");
        }
        if (addresses == null || addresses.isEmpty()) {
            throw refused(shown, "the host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (address == null || !permits(address)) {
                throw refused(shown, "the host resolves to an address that is not allowed");
            }
        }
        return addresses.get(0);
    }

    /** Whether this policy lets the platform connect to {@code address}. */
    public boolean permits(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? ipv4Permitted(b, 0, loopbackAllowed) : ipv6Permitted(b);
    }

    private static RemoteContentException refused(String host, String reason) {
        return new RemoteContentException(RemoteContentException.Kind.BAD_GATEWAY,
                "remote content at " + host + ": refused by the address policy: " + reason);
    }

    /** The address an IP literal names, parsed without any lookup; null for a name. */
    private static InetAddress literal(String host) throws UnknownHostException {
        if (host.startsWith("[") && host.endsWith("]")) {
            String inner = host.substring(1, host.length() - 1);
            if (inner.indexOf(':') < 0) {
                throw new UnknownHostException("not an IPv6 literal");
            }
            return InetAddress.getByName(inner); // contains ':': parsed as a literal, never looked up
        }
        if (DOTTED_QUAD.matcher(host).matches()) {
            return InetAddress.getByName(host); // dotted decimal: parsed as a literal, never looked up
        }
        return null;
    }

    private boolean ipv6Permitted(byte[] b) {
        if (isZero(b, 0, 16)) {
            return false;
        }
        if (isZero(b, 0, 15) && b[15] == 1) {
            return loopbackAllowed;
        }
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return ipv4Permitted(b, 12, loopbackAllowed); // IPv4-mapped
        }
        if (isZero(b, 0, 12)) {
            return false; // IPv4-compatible, deprecated
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
            return ipv4Permitted(b, 12, false); // NAT64 well-known prefix
        }
        if ((b[0] & 0xe0) != 0x20) {
            return false; // outside global unicast 2000::/3: ULA, link-local, site-local, multicast, reserved
        }
        if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0) {
            return false; // 2001::/23: Teredo, benchmarking, ORCHID and other special purposes
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
            return false; // documentation
        }
        if (b[0] == 0x3f && (b[1] & 0xff) == 0xff && (b[2] & 0xf0) == 0) {
            return false; // documentation, 3fff::/20
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ipv4Permitted(b, 2, false); // 6to4
        }
        return true;
    }

    private static boolean ipv4Permitted(byte[] b, int at, boolean loopbackAllowed) {
        int a0 = b[at] & 0xff;
        int a1 = b[at + 1] & 0xff;
        int a2 = b[at + 2] & 0xff;
        if (a0 == 127) {
            return loopbackAllowed;
        }
        return !(a0 == 0
                || a0 == 10
                || (a0 == 100 && (a1 & 0xc0) == 64)
                || (a0 == 169 && a1 == 254)
                || (a0 == 172 && (a1 & 0xf0) == 16)
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
                || (a0 == 192 && a1 == 88 && a2 == 99)
                || (a0 == 192 && a1 == 168)
                || (a0 == 198 && (a1 & 0xfe) == 18)
                || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113)
                || a0 >= 224);
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return loopbackAllowed ? "AddressPolicy[allowLoopback]" : "AddressPolicy[publicOnly]";
    }
}
