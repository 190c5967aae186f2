package org.soilobs.api.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strong entity tags and the {@code If-None-Match} test (RFC 9110 §8.8.3, §13.1.2). */
public final class EntityTags {

    private static final Pattern OPAQUE = Pattern.compile("[\\x21\\x23-\\x7e]+");
    private static final Pattern LISTED = Pattern.compile("(?:W/)?\"([\\x21\\x23-\\x7e]*)\"");

    private EntityTags() {
    }

    /** A strong tag, quoted: {@code "country.vwc.PT1H.42.1a2b3c4d"}. */
    public static String strong(String opaque) {
        if (!OPAQUE.matcher(opaque).matches()) {
            throw new IllegalArgumentException("not a valid entity tag: " + opaque);
        }
        return '"' + opaque + '"';
    }

    /**
     * Whether an {@code If-None-Match} header names the current tag. The comparison is weak, as the RFC
     * asks for this header: {@code W/"x"} matches {@code "x"}.
     */
    public static boolean matches(String ifNoneMatch, String currentTag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        // The usual case, a client sending back the one tag it holds, without a regular expression.
        if (ifNoneMatch.equals(currentTag)) {
            return true;
        }
        if (ifNoneMatch.trim().equals("*")) {
            return true;
        }
        String current = currentTag.startsWith("W/") ? currentTag.substring(2) : currentTag;
        Matcher matcher = LISTED.matcher(ifNoneMatch);
        while (matcher.find()) {
            if (current.equals('"' + matcher.group(1) + '"')) {
                return true;
            }
        }
        return false;
    }
}
