package org.soilobs.ingest.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.soilobs.model.Json;

/**
 * The original bytes of each element of a top-level array field, e.g. each reading of a batch, so that a
 * dead letter keeps a rejected reading exactly as it arrived (re-serialising the parsed tree would turn
 * {@code 1e400} into {@code "Infinity"}).
 */
final class ArraySlices {

    private ArraySlices() {
    }

    /** The bytes of each element of a payload that is a JSON array, or empty if it is not one. */
    static Optional<List<byte[]>> ofRoot(byte[] payload) {
        try (JsonParser parser = Json.mapper().createParser(payload)) {
            return parser.nextToken() == JsonToken.START_ARRAY ? Optional.of(elements(parser, payload))
                    : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The bytes of each element of {@code root[field]}, or empty if the payload does not have that shape. */
    static Optional<List<byte[]>> of(byte[] payload, String field) {
        try (JsonParser parser = Json.mapper().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name) && value == JsonToken.START_ARRAY) {
                    return Optional.of(elements(parser, payload));
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static List<byte[]> elements(JsonParser parser, byte[] payload) throws IOException {
        List<byte[]> elements = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            long start = parser.currentTokenLocation().getByteOffset();
            if (token.isStructStart()) {
                parser.skipChildren();
            } else {
                // Finishes a lazily read string, so that the location below is past its closing quote.
                parser.getText();
            }
            long end = parser.currentLocation().getByteOffset();
            if (start < 0 || end < start || end > payload.length) {
                throw new IllegalStateException("no byte offsets");
            }
            elements.add(Arrays.copyOfRange(payload, (int) start, (int) end));
        }
        return elements;
    }
}
