package org.plasticitysearch.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.orchestrator.config.ConfigException;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void aConfigThatCannotBeReadSaysWhyInOneLine() throws Exception {
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("nosuch.yaml"))).isInstanceOf(ConfigException.class)
                .hasMessage("does not exist; give a study config file (YAML), e.g. configs/quickstart.yaml");
        assertThatThrownBy(() -> ConfigFile.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("is a folder");
        Path binary = Files.write(dir.resolve("b.yaml"), new byte[]{(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});
        assertThatThrownBy(() -> ConfigFile.read(binary)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("is not UTF-8 text");
        Path ok = Files.writeString(dir.resolve("ok.yaml"), "name: x\n");
        assertThat(ConfigFile.read(ok)).isEqualTo("name: x\n");
    }
}
