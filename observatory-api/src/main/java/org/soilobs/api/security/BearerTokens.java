package org.soilobs.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens of the configuration (RFC 6750) and the test of an {@code Authorization} header.
 * Every configured token is compared, each in constant time, so that neither a match's position nor a
 * common prefix shows in the answer time.
 */
public final class BearerTokens {

    /** The outcome of reading an {@code Authorization} header. */
    public sealed interface Verdict permits Anonymous, Invalid, Known {
    }

    /** No bearer token (no header, or another scheme). */
    public record Anonymous() implements Verdict {
    }

    /** A bearer token that is not configured, or a malformed one. */
    public record Invalid() implements Verdict {
    }

    public record Known(Role role) implements Verdict {
    }

    private static final Verdict ANONYMOUS = new Anonymous();
    private static final Verdict INVALID = new Invalid();
    private static final String SCHEME = "bearer ";

    private record Entry(byte[] token, Role role) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public BearerTokens(Set<String> admin, Set<String> read) {
        admin.forEach(token -> entries.add(new Entry(token.getBytes(StandardCharsets.UTF_8), Role.ADMIN)));
        read.forEach(token -> entries.add(new Entry(token.getBytes(StandardCharsets.UTF_8), Role.READ)));
    }

    public Verdict verify(String authorization) {
        if (authorization != null && authorization.trim().equalsIgnoreCase(SCHEME.trim())) {
            return INVALID;
        }
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return ANONYMOUS;
        }
        byte[] given = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        Optional<Role> found = Optional.empty();
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.token(), given) && found.isEmpty()) {
                found = Optional.of(entry.role());
            }
        }
        return found.<Verdict>map(Known::new).orElse(INVALID);
    }
}
