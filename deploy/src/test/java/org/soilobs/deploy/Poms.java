package org.soilobs.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The few facts of the Maven build the deploy files depend on, read from the poms with the DOM. */
final class Poms {

    static final String JIB_ARTIFACT = "jib-maven-plugin";

    /** One module: its directory, artifact id, the org.soilobs modules it needs at run time, its Jib settings. */
    record Module(Path dir, String artifactId, List<String> runtimeModules, Jib jib) {
    }

    /** Jib's container settings of a module, the root pom's shared ones merged in; null fields were not set. */
    record Jib(String image, String mainClass, List<Integer> ports, String user, List<String> jvmFlags) {
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private final Path root;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final Element sharedJib;

    private Poms(Path root) {
        this.root = root;
        Element project = parse(root.resolve("pom.xml"));
        properties.put("project.version", text(child(project, "version")));
        Element props = child(project, "properties");
        if (props != null) {
            for (Element p : children(props)) {
                properties.put(p.getTagName(), p.getTextContent().strip());
            }
        }
        sharedJib = jibPlugin(child(child(child(project, "build"), "pluginManagement"), "plugins"));
        for (Element module : children(child(project, "modules"))) {
            Path dir = root.resolve(module.getTextContent().strip());
            if (dir.resolve("pom.xml").toFile().isFile()) {
                Module m = module(dir);
                modules.put(m.artifactId(), m);
            }
        }
    }

    static Poms read(Path root) {
        return new Poms(root);
    }

    String property(String name) {
        return properties.get(name);
    }

    Map<String, Module> modules() {
        return modules;
    }

    Path root() {
        return root;
    }

    private Module module(Path dir) {
        Element project = parse(dir.resolve("pom.xml"));
        String artifactId = text(child(project, "artifactId"));
        List<String> runtime = new ArrayList<>();
        Element deps = child(project, "dependencies");
        if (deps != null) {
            for (Element dep : children(deps)) {
                String scope = text(child(dep, "scope"));
                if ("org.soilobs".equals(text(child(dep, "groupId"))) && !"test".equals(scope)) {
                    runtime.add(text(child(dep, "artifactId")));
                }
            }
        }
        Element own = jibPlugin(child(child(project, "build"), "plugins"));
        Jib jib = null;
        if (own != null) {
            Map<String, String> local = new LinkedHashMap<>(properties);
            local.put("project.artifactId", artifactId);
            jib = new Jib(
                    interpolate(setting(own, sharedJib, "to", "image"), local),
                    interpolate(setting(own, sharedJib, "container", "mainClass"), local),
                    settingList(own, sharedJib, "ports").stream().map(Integer::valueOf).toList(),
                    interpolate(setting(own, sharedJib, "container", "user"), local),
                    settingList(own, sharedJib, "jvmFlags").stream().map(flag -> interpolate(flag, local)).toList());
        }
        return new Module(dir, artifactId, List.copyOf(runtime), jib);
    }

    /** Maven merges a module's plugin configuration over the managed one element by element: so do we. */
    private static String setting(Element own, Element shared, String group, String name) {
        for (Element plugin : new Element[] {own, shared}) {
            Element value = child(child(child(plugin, "configuration"), group), name);
            if (value != null) {
                return value.getTextContent().strip();
            }
        }
        return null;
    }

    private static List<String> settingList(Element own, Element shared, String list) {
        for (Element plugin : new Element[] {own, shared}) {
            Element values = child(child(child(plugin, "configuration"), "container"), list);
            if (values != null) {
                return children(values).stream().map(e -> e.getTextContent().strip()).toList();
            }
        }
        return List.of();
    }

    private static Element jibPlugin(Element plugins) {
        if (plugins == null) {
            return null;
        }
        for (Element plugin : children(plugins)) {
            if (JIB_ARTIFACT.equals(text(child(plugin, "artifactId")))) {
                return plugin;
            }
        }
        return null;
    }

    static String interpolate(String value, Map<String, String> properties) {
        if (value == null) {
            return null;
        }
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = properties.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Element parse(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(pom.toFile());
            return doc.getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        if (parent == null) {
            return result;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                result.add(e);
            }
        }
        return result;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }
}
