package org.plasticitysearch.orchestrator.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.plasticitysearch.orchestrator.config.ConfigException;

/**
 * Reads a study config file for a command; a file that cannot be read is a {@link ConfigException} saying why in a
 * few words (the command prefixes the path).
 */
final class ConfigFile {
    private ConfigFile() {
    }

    static String read(Path config) {
        if (Files.isDirectory(config)) {
            throw new ConfigException("is a folder; give a study config file (YAML), e.g."
                    + " configs/quickstart.yaml");
        }
        try {
            return Files.readString(config);
        } catch (NoSuchFileException e) {
            throw new ConfigException("does not exist; give a study config file (YAML), e.g."
                    + " configs/quickstart.yaml");
        } catch (AccessDeniedException e) {
            throw new ConfigException("is not readable (permission denied)");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ConfigException("is not UTF-8 text; give a study config file (YAML)");
        } catch (IOException e) {
            throw new ConfigException("cannot be read (" + e + ")");
        }
    }
}
