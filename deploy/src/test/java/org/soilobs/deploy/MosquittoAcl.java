package org.soilobs.deploy;

/**
 * Just enough of Mosquitto's ACL file format: {@code user NAME} opens a block of {@code topic [read|write|
 * readwrite|deny] TOPIC} lines for that user; {@code pattern …} lines apply to every user, {@code %u} standing
 * for the username. A line without an access type grants readwrite.
 */
final class MosquittoAcl {

    private MosquittoAcl() {
    }

    static boolean grantsRead(String acl, String user, String filter) {
        String current = null;
        for (String raw : acl.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+", 2);
            if (words[0].equals("user") && words.length == 2) {
                current = words[1].strip();
            } else if (words[0].equals("topic") && words.length == 2 && user.equals(current)) {
                if (grants(words[1], filter)) {
                    return true;
                }
            } else if (words[0].equals("pattern") && words.length == 2) {
                if (grants(words[1].replace("%u", user), filter)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean grants(String rule, String filter) {
        String[] parts = rule.strip().split("\\s+", 2);
        String access = parts.length == 2 ? parts[0] : "readwrite";
        String topic = parts.length == 2 ? parts[1].strip() : parts[0];
        if (!access.equals("read") && !access.equals("readwrite")) {
            return false;
        }
        return topic.equals(filter) || topic.equals("#")
                || (topic.endsWith("/#") && filter.startsWith(topic.substring(0, topic.length() - 1)));
    }
}
