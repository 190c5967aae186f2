package org.soilobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a module's main sources say about its configuration, read from the text (the deploy module needs no
 * app jar): the {@code OBS_*} variables it reads, their defaults, dynamically named families such as
 * {@code OBS_INGEST_SOURCE_<NAME>_URL}, its command-line options and its string constants.
 *
 * <p>A variable counts as read when its name is a whole string literal (or a constant holding one); its default
 * is the second argument of the call that reads it ({@code env.getOrDefault(NAME, DEFAULT)},
 * {@code get(env, NAME, DEFAULT, …)}), resolved through the constants when it is one.
 */
final class JavaSources {

    private static final Pattern WHOLE_VARIABLE = Pattern.compile("\"(OBS_[A-Z0-9_]*[A-Z0-9])\"");
    private static final Pattern FAMILY_PREFIX = Pattern.compile(
            "String\\s+(\\w+)\\s*=\\s*\"(OBS_[A-Z0-9_]+_)\"[^;]*;");
    private static final Pattern CONSTANT = Pattern.compile(
            "static\\s+final\\s+[\\w<>]+\\s+(\\w+)\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9_]*[Ll]?)\\s*;");
    private static final Pattern ENV_CALL = Pattern.compile(
            "\\benv\\s*\\.\\s*(getOrDefault|get)\\s*\\(|\\bgetenv\\s*\\(|\\b\\w+\\s*\\(\\s*env\\s*,");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:class|record|enum|interface)\\s+(\\w+)");
    private static final Pattern RESOURCE_VARIABLE = Pattern.compile("\\$\\{(OBS_[A-Z0-9_]+)(?::-([^}]*))?}");
    private static final Pattern CLI_OPTION = Pattern.compile("\"(--[a-z][a-z0-9-]*)\"");
    private static final Pattern GROUP_CONSUMER = Pattern.compile(
            "put\\(\\s*(?:ConsumerConfig\\.GROUP_ID_CONFIG|StreamsConfig\\.APPLICATION_ID_CONFIG)");

    /** One way a variable is read: with a default (its resolved text, or null when computed) or without. */
    record Usage(String variable, boolean defaulted, String defaultValue, String where) {
    }

    /** {@code prefix<NAME>suffix} for each suffix, named in the list variable ({@code OBS_INGEST_SOURCES}). */
    record Family(String prefix, List<String> suffixes, String listVariable) {

        Pattern pattern() {
            return Pattern.compile(Pattern.quote(prefix) + "([A-Z0-9_]+)_("
                    + String.join("|", suffixes.stream().map(Pattern::quote).toList()) + ")");
        }
    }

    private final Map<String, List<Usage>> usages = new LinkedHashMap<>();
    private final List<Family> families = new ArrayList<>();
    private final TreeSet<String> cliOptions = new TreeSet<>();
    private final Map<String, String> constants = new HashMap<>();
    private final Map<String, String> qualifiedConstants = new HashMap<>();
    private final List<Path> mainClasses = new ArrayList<>();
    private boolean groupConsumer;

    /** Reads {@code src/main/java} and {@code src/main/resources} of one module. */
    static JavaSources read(Path moduleDir) {
        JavaSources sources = new JavaSources();
        List<Path> javaFiles = files(moduleDir.resolve("src/main/java"), ".java");
        Map<Path, String> texts = new LinkedHashMap<>();
        for (Path file : javaFiles) {
            String text = stripComments(readString(file));
            texts.put(file, text);
            sources.collectConstants(text);
        }
        texts.forEach((file, text) -> sources.scan(moduleDir.relativize(file).toString(), file, text));
        for (Path file : files(moduleDir.resolve("src/main/resources"), "")) {
            String name = file.getFileName().toString();
            if (name.endsWith(".xml") || name.endsWith(".properties") || name.endsWith(".conf")) {
                Matcher m = RESOURCE_VARIABLE.matcher(readString(file));
                while (m.find()) {
                    sources.add(new Usage(m.group(1), m.group(2) != null, m.group(2),
                            moduleDir.relativize(file).toString()));
                }
            }
        }
        return sources;
    }

    private void collectConstants(String text) {
        Matcher className = CLASS_NAME.matcher(text);
        String owner = className.find() ? className.group(1) : "";
        Matcher m = CONSTANT.matcher(text);
        while (m.find()) {
            String value = literalValue(m.group(2));
            constants.putIfAbsent(m.group(1), value);
            qualifiedConstants.put(owner + "." + m.group(1), value);
        }
    }

    private void scan(String where, Path file, String text) {
        Matcher whole = WHOLE_VARIABLE.matcher(text);
        while (whole.find()) {
            usages.computeIfAbsent(whole.group(1), name -> new ArrayList<>());
        }
        Matcher call = ENV_CALL.matcher(text);
        while (call.find()) {
            int open = text.indexOf('(', call.start());
            List<String> args = arguments(text, open);
            if (args.isEmpty()) {
                continue;
            }
            boolean receiverIsEnv = !args.get(0).equals("env");
            int nameIndex = receiverIsEnv ? 0 : 1;
            if (args.size() <= nameIndex) {
                continue;
            }
            String name = resolve(args.get(nameIndex));
            if (name == null || !name.matches("OBS_[A-Z0-9_]*[A-Z0-9]")) {
                continue;
            }
            boolean hasDefaultArgument = args.size() > nameIndex + 1
                    && !(receiverIsEnv && call.group(1) != null && call.group(1).equals("get"));
            String fallback = hasDefaultArgument ? args.get(nameIndex + 1) : null;
            boolean defaulted = fallback != null && !fallback.equals("null");
            add(new Usage(name, defaulted, defaulted ? resolve(fallback) : null, where));
        }
        Matcher prefix = FAMILY_PREFIX.matcher(text);
        while (prefix.find()) {
            Matcher suffix = Pattern.compile("\\b" + prefix.group(1) + "\\s*\\+\\s*\"([A-Z0-9_]+)\"").matcher(text);
            TreeSet<String> suffixes = new TreeSet<>();
            while (suffix.find()) {
                suffixes.add(suffix.group(1));
            }
            String stem = prefix.group(2).substring(0, prefix.group(2).length() - 1);
            String listVariable = text.contains("\"" + stem + "S\"") ? stem + "S" : null;
            families.add(new Family(prefix.group(2), List.copyOf(suffixes), listVariable));
        }
        Matcher option = CLI_OPTION.matcher(text);
        while (option.find()) {
            cliOptions.add(option.group(1));
        }
        if (GROUP_CONSUMER.matcher(text).find()) {
            groupConsumer = true;
        }
        if (text.matches("(?s).*\\bpublic\\s+static\\s+void\\s+main\\s*\\(.*")) {
            mainClasses.add(file);
        }
    }

    private void add(Usage usage) {
        usages.computeIfAbsent(usage.variable(), name -> new ArrayList<>()).add(usage);
    }

    /** A string literal's text, a constant's value (also {@code Owner.NAME}), a number; otherwise null. */
    private String resolve(String expression) {
        String e = expression.strip();
        if (e.startsWith("(")) {
            e = e.replaceFirst("^\\(\\s*\\w+\\s*\\)\\s*", "");
        }
        if (e.startsWith("\"") && e.endsWith("\"") && e.length() >= 2) {
            return literalValue(e);
        }
        if (e.matches("-?[0-9][0-9_]*[Ll]?")) {
            return literalValue(e);
        }
        if (e.matches("\\w+\\.\\w+")) {
            return qualifiedConstants.get(e);
        }
        if (e.matches("\\w+")) {
            return constants.get(e);
        }
        return null;
    }

    Map<String, List<Usage>> usages() {
        return usages;
    }

    List<Family> families() {
        return families;
    }

    TreeSet<String> cliOptions() {
        return cliOptions;
    }

    boolean groupConsumer() {
        return groupConsumer;
    }

    List<Path> mainClasses() {
        return mainClasses;
    }

    Optional<String> constant(String owner, String name) {
        return Optional.ofNullable(qualifiedConstants.get(owner + "." + name));
    }

    Map<String, String> constantsOf(String owner) {
        Map<String, String> result = new LinkedHashMap<>();
        qualifiedConstants.forEach((key, value) -> {
            if (key.startsWith(owner + ".")) {
                result.put(key.substring(owner.length() + 1), value);
            }
        });
        return result;
    }

    static String literalValue(String token) {
        if (token.startsWith("\"")) {
            return token.substring(1, token.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return token.replace("_", "").replaceAll("[Ll]$", "");
    }

    /** The comma-separated arguments of the call whose '(' is at {@code open}, nesting and strings respected. */
    static List<String> arguments(String text, int open) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = endOfString(text, i);
                current.append(text, i, end + 1);
                i = end;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    if (!current.toString().isBlank()) {
                        args.add(current.toString().strip());
                    }
                    return args;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                args.add(current.toString().strip());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        return List.of();
    }

    private static int endOfString(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return text.length() - 1;
    }

    /** Removes comments, so that names in Javadoc do not count as reads; strings (with "//" in URLs) stay. */
    static String stripComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? source.length() : end + 3;
                out.append(source, i, end);
                i = end;
            } else if (source.charAt(i) == '"') {
                int end = endOfString(source, i) + 1;
                out.append(source, i, end);
                i = end;
            } else if (source.charAt(i) == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != '\'') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(source, i, Math.min(end + 1, source.length()));
                i = end + 1;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else {
                out.append(source.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
