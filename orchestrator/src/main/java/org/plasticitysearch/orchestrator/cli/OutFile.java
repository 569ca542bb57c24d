package org.plasticitysearch.orchestrator.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --out FILE} of a command: {@code -} is standard output; a file is written whole or not at all (a
 * temporary sibling, then renamed), and a path that cannot be written is one line naming the option and why.
 */
final class OutFile {
    interface Body {
        void write(Writer out) throws IOException;
    }

    private OutFile() {
    }

    static void write(String option, String out, Body body) {
        if (out.equals("-")) {
            try {
                Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
                body.write(w);
                w.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        Path path = Path.of(out).toAbsolutePath();
        Path tmp = path.resolveSibling(path.getFileName() + ".part");
        try {
            if (Files.isDirectory(path)) {
                throw new UsageException(option, out, "it is a folder; give a file name");
            }
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the folder is not writable: nothing was left there
            }
            throw problem(option, out, e, "a file");
        }
    }

    /** "--out /x/y: no such folder /x; ..." from a file-system error. */
    static UsageException problem(String option, String out, IOException e, String what) {
        String why = CliErrors.io(e);
        Path parent = Path.of(out).toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            why = "the folder " + parent + " does not exist";
        }
        return new UsageException(option + ": " + out + " cannot be written (" + why + "); give " + what + " path"
                + " in an existing, writable folder");
    }
}
