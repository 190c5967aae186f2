package org.soilobs.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP/1.1 load: each keep-alive connection sends on a fixed schedule whatever the answers
 * do, and a latency runs from when the request was due, so a stalled server shows in the percentiles
 * instead of slowing the load (no coordinated omission). Plain sockets keep the client's own cost small
 * next to the server's, with which it shares the machine.
 */
final class OpenLoopHttp {

    static final int CONNECTIONS = 8;

    /** Answers completed per second in the window, errors, and latency percentiles in ms. */
    record Result(double throughput, long errors, double p50Ms, double p99Ms, double maxMs) {
    }

    private OpenLoopHttp() {
    }

    static byte[] request(String path, String ifNoneMatch) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/geo+json\r\n"
                + "Accept-Encoding: gzip\r\n" + (ifNoneMatch == null ? "" : "If-None-Match: " + ifNoneMatch + "\r\n")
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The tag of the gzip representation of {@code path}. */
    static String etag(InetSocketAddress address, String path) throws IOException {
        try (Socket socket = open(address)) {
            socket.getOutputStream().write(request(path, null));
            Response response = Response.read(new BufferedInputStream(socket.getInputStream(), 65_536));
            if (response.status() != 200 || response.etag() == null) {
                throw new IllegalStateException(path + " answered " + response.status() + " without a tag");
            }
            return response.etag();
        }
    }

    /** Sends {@code rate} requests per second for {@code warmupSeconds + seconds}, measuring the last {@code seconds}. */
    static Result run(InetSocketAddress address, byte[] request, int expected, int rate, int warmupSeconds,
            int seconds) throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) * CONNECTIONS / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long[][] counts = new long[CONNECTIONS][2];
        List<Histogram> histograms = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            histograms.add(histogram);
            long[] count = counts[c];
            long first = start + interval * c / CONNECTIONS;
            Thread thread = new Thread(() -> connection(address, request, expected, first, interval, measureFrom, end,
                    histogram, count), "bench-http-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long completed = 0;
        long errors = 0;
        for (int c = 0; c < CONNECTIONS; c++) {
            threads.get(c).join();
            all.add(histograms.get(c));
            completed += counts[c][0];
            errors += counts[c][1];
        }
        return new Result(completed / (double) seconds, errors, all.getValueAtPercentile(50) / 1e6,
                all.getValueAtPercentile(99) / 1e6, all.getMaxValue() / 1e6);
    }

    private static void connection(InetSocketAddress address, byte[] request, int expected, long first, long interval,
            long measureFrom, long end, Histogram histogram, long[] count) {
        Socket socket = null;
        InputStream in = null;
        try {
            for (long due = first; due < end; due += interval) {
                long now = System.nanoTime();
                if (now < due) {
                    LockSupport.parkNanos(due - now);
                } else if (now >= end) {
                    // Past the window, requests still due were never sent: each waited at least until now.
                    for (long unsent = due; unsent < end; unsent += interval) {
                        if (unsent >= measureFrom) {
                            histogram.recordValue(Math.min(now - unsent, histogram.getHighestTrackableValue()));
                        }
                    }
                    break;
                }
                boolean ok;
                try {
                    if (socket == null) {
                        socket = open(address);
                        in = new BufferedInputStream(socket.getInputStream(), 65_536);
                    }
                    socket.getOutputStream().write(request);
                    ok = Response.read(in).status() == expected;
                } catch (IOException e) {
                    ok = false;
                    close(socket);
                    socket = null;
                }
                long done = System.nanoTime();
                if (due >= measureFrom) {
                    histogram.recordValue(Math.min(done - due, histogram.getHighestTrackableValue()));
                }
                if (done >= measureFrom && done < end) {
                    count[ok ? 0 : 1]++;
                }
            }
        } finally {
            close(socket);
        }
    }

    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // The connection is dropped either way.
            }
        }
    }

    private static Socket open(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 10_000);
        return socket;
    }

    /** The status and tag of one response, its body read and dropped. */
    record Response(int status, String etag) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = 0;
            boolean chunked = false;
            String etag = null;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "etag" -> etag = value;
                    default -> { }
                }
            }
            if (status == 304 || status == 204) {
                return new Response(status, etag);
            }
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    skip(in, size);
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else {
                skip(in, length);
            }
            return new Response(status, etag);
        }

        private static void skip(InputStream in, long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed inside a body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
