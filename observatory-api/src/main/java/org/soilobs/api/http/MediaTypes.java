package org.soilobs.api.http;

import java.util.Locale;

/** Media types the API answers with, and the one negotiation it does. */
public final class MediaTypes {

    public static final String JSON = "application/json";
    public static final String GEO_JSON = "application/geo+json";
    public static final String CSV = "text/csv";
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private MediaTypes() {
    }

    /**
     * Whether an {@code Accept} header prefers CSV over JSON. Only explicit mentions count: {@code *}/{@code *}
     * (a browser's default) keeps JSON, the API's default.
     */
    public static boolean prefersCsv(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double csv = -1;
        double json = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            if (type.equals(CSV)) {
                csv = Math.max(csv, q);
            } else if (type.equals(JSON)) {
                json = Math.max(json, q);
            }
        }
        return csv > 0 && csv > json;
    }

    /** Whether an {@code Accept-Encoding} header accepts gzip ({@code gzip}, {@code x-gzip} or {@code *}, q > 0). */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) {
            return false;
        }
        double gzip = -1;
        double any = -1;
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if (name.equals("gzip") || name.equals("x-gzip")) {
                gzip = Math.max(gzip, quality(parts));
            } else if (name.equals("*")) {
                any = quality(parts);
            }
        }
        return gzip >= 0 ? gzip > 0 : any > 0;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
                try {
                    double q = Double.parseDouble(parameter.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
