package org.plasticitysearch.trainer.repro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        // --first-seed: seed 2 alone reproduces the seed-2 run of the whole set, episode by episode
        Reproduction.Run again = Reproduction.runAll(data, s, List.of(rules.get(0)), 2, 1, 1, null).get(0);
        Reproduction.Run original = runs.stream().filter(r -> r.rule() == rules.get(0) && r.seed() == 2)
                .findFirst().orElseThrow();
        assertThat(again.seed()).isEqualTo(2);
        for (int e = 0; e < original.episodes().size(); e++) {
            assertThat(again.episodes().get(e).theta()).containsExactly(original.episodes().get(e).theta());
        }
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
        List<Summary.RuleSummary> summary = Summary.of(runs, rules, 1, 4);
        String table = Summary.markdown(summary);
        assertThat(table).contains("| fa | fa |").contains("| bp | bp |").contains("ΔW =");
        Summary.writeJson(summary, java.util.Map.of("episodes", 4), out.resolve("summary.json"));
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("summary.json").toFile());
        assertThat(json.at("/settings/episodes").asInt()).isEqualTo(4);
        assertThat(json.get("rules")).hasSize(3);
        for (com.fasterxml.jackson.databind.JsonNode r : json.get("rules")) {
            Reproduction.RuleRun rule = rules.stream().filter(x -> x.name().equals(r.get("rule").asText())).findFirst()
                    .orElseThrow();
            // the window mean is recomputed here from the episodes of each seed (episodes 2..4)
            double[] perSeed = runs.stream().filter(x -> x.rule() == rule && !x.diverged())
                    .mapToDouble(x -> x.episodes().stream().filter(e -> e.episode() > 1)
                            .mapToDouble(org.plasticitysearch.trainer.meta.EpisodeReport::accuracy).average()
                            .orElseThrow()).toArray();
            assertThat(r.get("window_accuracy").asDouble())
                    .isCloseTo(java.util.Arrays.stream(perSeed).average().orElseThrow(), within(1e-12));
            assertThat(r.get("window_accuracy_ci").get(0).asDouble()).isLessThanOrEqualTo(r.get("window_accuracy").asDouble());
            assertThat(r.get("window_accuracy_ci").get(1).asDouble()).isGreaterThanOrEqualTo(r.get("window_accuracy").asDouble());
            assertThat(r.get("theta")).hasSize(10);
            assertThat(r.get("term_shares")).hasSize(10);
            double shares = 0;
            for (com.fasterxml.jackson.databind.JsonNode x : r.get("term_shares")) {
                shares += x.asDouble();
            }
            assertThat(shares).isCloseTo(1.0, within(1e-9));
            assertThat(r.get("test_accuracy").isNumber()).isTrue();
            assertThat(r.get("clipped_episodes").isInt()).isTrue();
            assertThat(r.get("rejected_episodes").isInt()).isTrue();
            assertThat(r.get("diverged").isArray()).isTrue();
            assertThat(r.get("window").get(0).asInt()).isEqualTo(2);
        }
    }
}
