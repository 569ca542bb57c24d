package org.plasticitysearch.orchestrator.config;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where a field of a study config is written: the YAML's node tree (SnakeYAML, which Jackson's YAML reader is built
 * on) searched by the field path an error message starts with ({@code budget}, {@code search_space.meta_lr},
 * {@code enqueue[1].f2}), and the nearest allowed name for a mistyped one.
 */
public final class YamlLines {
    private static final Pattern PATH = Pattern.compile("^([A-Za-z_]\\w*(?:\\.\\w+|\\[\\d+\\])*):");
    private static final Pattern SEGMENT = Pattern.compile("(\\w+)|\\[(\\d+)\\]");

    private YamlLines() {
    }

    /** The 1-based line of the field the message names, or 0. */
    static int lineOf(String yaml, String message) {
        Matcher m = PATH.matcher(message);
        if (!m.find()) {
            return 0;
        }
        String path = m.group(1);
        try {
            Node node = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
            return line(node, path);
        } catch (RuntimeException e) {
            return 0; // not YAML at all: the parser's own error has the position
        }
    }

    private static int line(Node node, String path) {
        int line = 0;
        Matcher s = SEGMENT.matcher(path);
        while (s.find() && node != null) {
            if (s.group(1) != null && node instanceof MappingNode map) {
                Node next = null;
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(s.group(1))) {
                        line = k.getStartMark().getLine() + 1;
                        next = t.getValueNode();
                    }
                }
                node = next;
            } else if (s.group(2) != null && node instanceof SequenceNode seq) {
                int i = Integer.parseInt(s.group(2));
                node = i < seq.getValue().size() ? seq.getValue().get(i) : null;
                line = node == null ? line : node.getStartMark().getLine() + 1;
            } else {
                node = null;
            }
        }
        return line;
    }

    /** The key written nearest before {@code column} (1-based) on {@code line} (1-based), e.g. "low", or null. */
    static String keyBefore(String yaml, int line, int column) {
        List<String> lines = yaml.lines().toList();
        if (line < 1 || line > lines.size()) {
            return null;
        }
        String text = lines.get(line - 1);
        Matcher m = Pattern.compile("([A-Za-z_]\\w*)\\s*:").matcher(text.substring(0, Math.min(text.length(),
                Math.max(0, column - 1))));
        String key = null;
        while (m.find()) {
            key = m.group(1);
        }
        return key;
    }


    /** The allowed name nearest to {@code typed} (edit distance at most 2, or a shared prefix), or null. */
    public static String nearest(String typed, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(typed.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return bestDistance <= Math.max(2, typed.length() / 3) ? best : null;
    }

    /** Levenshtein distance with adjacent transpositions (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
