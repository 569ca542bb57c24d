package org.plasticitysearch.trainer.repro;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.trainer.data.BuiltinGlyphs;
import org.plasticitysearch.trainer.data.Dataset;
import org.plasticitysearch.trainer.linalg.Precision;

class ReproductionTest {
    @TempDir
    Path out;

    @Test
    void writesEveryEpisodeAndPlotsThatAreNotBlank() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Dataset data = BuiltinGlyphs.create(30);
        List<Reproduction.RuleRun> rules = List.of(Reproduction.named("fa", 0), Reproduction.named("bp", 0),
                Reproduction.named("bio", 0));
        Reproduction.Settings s = new Reproduction.Settings(new int[]{784, 30, 47}, 3, 5, 3, false, false, 4, 1e-3,
                Precision.FLOAT32, 2, 2, null, org.plasticitysearch.trainer.meta.Safeguards.DEFAULTS);
        List<Reproduction.Run> runs = Reproduction.runAll(data, s, rules, 2, 2, null);
        assertThat(runs).hasSize(6);
        Reproduction.writeCsv(runs, out.resolve("e.csv"));
        List<String> lines = Files.readAllLines(out.resolve("e.csv"));
        assertThat(lines).hasSize(1 + 6 * 4);
        assertThat(lines.get(0)).startsWith("rule,feedback,lambda,seed,episode,meta_loss");
        assertThat(lines).anyMatch(l -> l.startsWith("bp,bp,0.0,2,4,"));

        Plots.accuracyCurves(runs, rules, 2, "test", out.resolve("a.png"));
        Plots.thetaTrajectories(runs, rules, out.resolve("t.png"));
        for (String f : new String[]{"a.png", "t.png"}) {
            byte[] head = Files.readAllBytes(out.resolve(f));
            assertThat(head).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            BufferedImage img = ImageIO.read(out.resolve(f).toFile());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 3) {
                for (int x = 0; x < img.getWidth(); x += 3) {
                    colours.add(img.getRGB(x, y));
                }
            }
            assertThat(colours.size()).as(f + " has lines and text, not one colour").isGreaterThan(20);
        }
        String table = Reproduction.summaryTable(runs, rules, 1, 4);
        assertThat(table).contains("| fa | fa |").contains("| bp | bp |").contains("ΔW =");
    }
}
