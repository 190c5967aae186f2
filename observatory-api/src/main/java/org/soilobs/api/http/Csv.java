package org.soilobs.api.http;

import java.util.List;

/** RFC 4180 text: CRLF line ends, fields quoted when they hold a comma, quote or line break. */
public final class Csv {

    public static final String MEDIA_TYPE = "text/csv; charset=utf-8; header=present";

    private final StringBuilder text = new StringBuilder();

    public Csv row(List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(field(fields.get(i)));
        }
        text.append("\r\n");
        return this;
    }

    /** One field; null is the empty field. */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0
                || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
