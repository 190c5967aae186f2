package org.soilobs.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a CSV file of readings as canonical batches, in file order: consecutive rows of one gateway
 * share a message (at most {@value Scenario#MAX_BATCH} readings), sequence numbers run from 1 per
 * gateway. Columns, with this header line:
 * {@value #HEADER}. Values go out exactly as written (an invalid one tests ingest).
 */
public final class CsvReplay {

    public static final String HEADER = "gateway,sensor,time,quantity,value,unit,depth_top_cm,depth_bottom_cm";
    private static final int COLUMNS = 8;

    private final BufferedReader in;
    private final Map<String, Long> seq = new HashMap<>();
    private int line;
    private String[] pending;

    /**
     * @throws IllegalArgumentException when the header is not {@value #HEADER}
     */
    public CsvReplay(BufferedReader in) throws IOException {
        this.in = in;
        String header = in.readLine();
        line = 1;
        if (header == null || !header.strip().equals(HEADER)) {
            throw new IllegalArgumentException("line 1: expected the header " + HEADER);
        }
    }

    /**
     * The next at most {@code maxMessages} messages, empty at the end of the file.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    public List<CanonicalBatch> next(int maxMessages) throws IOException {
        List<CanonicalBatch> batches = new ArrayList<>();
        while (batches.size() < maxMessages) {
            String[] first = pending != null ? pending : row();
            pending = null;
            if (first == null) {
                break;
            }
            String gateway = first[0];
            List<CanonicalBatch.Reading> readings = new ArrayList<>();
            readings.add(reading(first));
            while (readings.size() < Scenario.MAX_BATCH) {
                String[] next = row();
                if (next == null) {
                    break;
                }
                if (!next[0].equals(gateway)) {
                    pending = next;
                    break;
                }
                readings.add(reading(next));
            }
            batches.add(new CanonicalBatch(gateway, seq.merge(gateway, 1L, Long::sum), readings));
        }
        return batches;
    }

    private String[] row() throws IOException {
        String text;
        do {
            text = in.readLine();
            line++;
            if (text == null) {
                return null;
            }
        } while (text.isBlank());
        String[] cells = text.split(",", -1);
        if (cells.length != COLUMNS) {
            throw new IllegalArgumentException("line " + line + ": expected " + COLUMNS + " columns, found "
                    + cells.length);
        }
        for (int c = 0; c < cells.length; c++) {
            cells[c] = cells[c].strip();
        }
        if (cells[0].isEmpty()) {
            throw new IllegalArgumentException("line " + line + ": the gateway is empty");
        }
        return cells;
    }

    private CanonicalBatch.Reading reading(String[] cells) {
        try {
            return new CanonicalBatch.Reading(cells[1], Instant.parse(cells[2]), cells[3], Double.parseDouble(cells[4]),
                    cells[5], Integer.parseInt(cells[6]), Integer.parseInt(cells[7]));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("line " + line + ": time '" + cells[2] + "' is not an ISO-8601 instant");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + line + ": value or depth is not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + line + ": " + e.getMessage());
        }
    }
}
