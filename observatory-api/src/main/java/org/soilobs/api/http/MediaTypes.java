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
