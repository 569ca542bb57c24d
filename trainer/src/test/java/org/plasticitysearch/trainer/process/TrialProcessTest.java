package org.plasticitysearch.trainer.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trial process in-process: events, determinism, divergence, bad specs, missing data. */
class TrialProcessTest {
    static final String TINY = "{\"dataset\":\"builtin\",\"per_class_limit\":30,\"dims\":[784,40,30,47],"
            + "\"terms\":[0,2,9],\"theta_init\":[0.002,0,-0.001,0,0,0,0,0,0,0.001],\"episodes\":6,\"K\":8,\"Q\":4,"
            + "\"report_every\":2,\"eval_tasks\":4,\"seed\":7,\"precision\":\"float64\"}";

    record Run(int exit, List<JsonNode> events, String raw) {
        JsonNode last() {
            return events.get(events.size() - 1);
        }
    }

    static Run run(String specJson) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            TrialSpec spec;
            try {
                spec = TrialSpec.parse(specJson);
            } catch (SpecException e) {
                return new Run(TrialProcess.EXIT_BAD_SPEC, List.of(), e.getMessage());
            }
            exit = new TrialProcess().run(spec, new EventSink(ps), null);
        }
        String raw = buf.toString(StandardCharsets.UTF_8);
        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : raw.split("\n")) {
            if (!line.isBlank()) {
                try {
                    events.add(json.readTree(line));
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        return new Run(exit, events, raw);
    }

    @Test
    void emitsStartedEpisodesEvaluationAndResult() {
        Run r = run(TINY);
        assertThat(r.exit()).isZero();
        assertThat(r.events()).extracting(e -> e.get("type").asText())
                .containsExactly("started", "episode", "episode", "episode", "evaluation", "result");
        JsonNode ep = r.events().get(1);
        assertThat(ep.get("episode").asInt()).isEqualTo(2);
        assertThat(ep.get("theta")).hasSize(10);
        assertThat(ep.get("alignment_deg")).hasSize(2);
        assertThat(ep.get("ortho_error")).hasSize(3);
        JsonNode result = r.last();
        assertThat(result.get("partial").asBoolean()).isFalse();
        // the safeguards: their settings in "started", what they did in "episode" and "result"
        com.fasterxml.jackson.databind.node.ObjectNode spec = (com.fasterxml.jackson.databind.node.ObjectNode) r.events().get(0).get("spec");
        assertThat(spec.get("grad_clip").asDouble()).isEqualTo(5.0);
        assertThat(spec.get("reject_factor").asDouble()).isEqualTo(100.0);
        assertThat(spec.get("reject_limit").asInt()).isEqualTo(20);
        assertThat(spec.get("term_scaling").asText()).isEqualTo("norm");
        assertThat(spec.get("trust_region").asBoolean()).isTrue();
        assertThat(ep.get("grad_norm").asDouble()).isPositive();
        assertThat(ep.get("rejected").asBoolean()).isFalse();
        assertThat(result.get("limited_episodes").asInt()).isBetween(ep.get("limited_episodes").asInt(), 6);
        assertThat(result.get("clipped_episodes").asInt()).isBetween(0, 6);
        assertThat(result.get("rejected_episodes").asInt()).isZero();
        assertThat(result.get("step_scale")).hasSize(10);
        assertThat(result.get("step_scale").get(0).asDouble()).isEqualTo(1.0);
        assertThat(result.get("step_scale").get(9).asDouble()).as("Oja's F9 is larger than F0").isBetween(1e-6, 0.999);
        for (JsonNode x : result.get("step_scale")) {
            assertThat(x.asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(result.get("safeguards")).isEqualTo(spec.deepCopy().retain("grad_clip", "grad_clip_window",
                "reject_factor", "reject_limit", "reject_shrink", "term_scaling", "trust_region"));
        double acc = result.get("test_accuracy").asDouble();
        assertThat(acc).isBetween(result.get("test_ci_low").asDouble(), result.get("test_ci_high").asDouble());
        assertThat(result.get("theta_by_term").get("F9").asDouble()).isEqualTo(result.get("theta").get(9).asDouble());
        // the meta-update moved the active coefficients and left the inactive ones at 0
        assertThat(result.get("theta").get(0).asDouble()).isNotEqualTo(0.002);
        assertThat(result.get("theta").get(1).asDouble()).isZero();
    }

    @Test
    void sameSpecAndSeedGiveBitwiseIdenticalEvents() {
        String a = stripTimes(run(TINY).raw());
        String b = stripTimes(run(TINY).raw());
        assertThat(a).isEqualTo(b);
        String other = stripTimes(run(TINY.replace("\"seed\":7", "\"seed\":8")).raw());
        assertThat(other).isNotEqualTo(a);
    }

    private static String stripTimes(String raw) {
        return raw.replaceAll("\"(elapsed_s|wall_s|pid)\":[0-9.Ee-]+", "");
    }

    @Test
    void divergingRuleEndsWithAnErrorNamingTheEpisode() {
        // the paper network, 5-way K=50: Oja's term with theta_9 = 10 blows up within the first episode
        String exploding = TINY.replace("\"theta_init\":[0.002,0,-0.001,0,0,0,0,0,0,0.001]",
                "\"theta_init\":[0.002,0,0,0,0,0,0,0,0,10]").replace("\"terms\":[0,2,9]", "\"terms\":[0,9]")
                .replace("\"dims\":[784,40,30,47],", "").replace("\"K\":8", "\"K\":50")
                .replace("\"per_class_limit\":30", "\"per_class_limit\":60");
        // the paper's behaviour (no rejected episodes): the first non-finite episode ends the trial
        Run r = run(exploding.replace("\"K\":50", "\"K\":50,\"reject_limit\":0"));
        assertThat(r.exit()).isEqualTo(TrialProcess.EXIT_DIVERGED);
        JsonNode err = r.last();
        assertThat(err.get("type").asText()).isEqualTo("error");
        assertThat(err.get("kind").asText()).isEqualTo("divergence");
        assertThat(err.get("episode").asInt()).isEqualTo(1);
        assertThat(err.get("message").asText()).contains("episode 1");
        // with the defaults every episode is rejected and nothing is ever learned: that is divergence too
        Run d = run(exploding);
        assertThat(d.exit()).isEqualTo(TrialProcess.EXIT_DIVERGED);
        assertThat(d.last().get("episode").asInt()).isEqualTo(6);
        assertThat(d.last().get("message").asText()).contains("every episode was rejected");
        JsonNode lastEpisode = d.events().stream().filter(e -> e.get("type").asText().equals("episode"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(lastEpisode.get("rejected").asBoolean()).isTrue();
        assertThat(lastEpisode.get("rejected_episodes").asInt()).isEqualTo(6);
        assertThat(lastEpisode.get("grad_norm").isNull()).isTrue();
    }

    @Test
    void badSpecsNameTheFieldTheValueAndWhatIsAllowed() {
        assertThat(run(TINY.replace("[0,2,9]", "[0,2,12]")).raw()).contains("terms").contains("12").contains("0..9");
        assertThat(run(TINY.replace("\"episodes\":6", "\"episodes\":-3")).raw()).contains("episodes").contains("-3");
        assertThat(run(TINY.replace("\"K\":8", "\"K\":8,\"epsiodes\":3")).raw()).contains("unknown field 'epsiodes'");
        assertThat(run(TINY.replace("\"precision\":\"float64\"", "\"precision\":\"half\"")).raw())
                .contains("precision").contains("half").contains("float32");
        Run wrongDims = run(TINY.replace("[784,40,30,47]", "[100,40,30,47]"));
        assertThat(wrongDims.exit()).isEqualTo(TrialProcess.EXIT_BAD_SPEC);
        assertThat(wrongDims.last().get("message").asText()).contains("dims[0]").contains("100").contains("784");
        Run fewOutputs = run(TINY.replace("[784,40,30,47]", "[784,40,30,10]"));
        assertThat(fewOutputs.last().get("message").asText()).contains("47 labels");
    }

    @Test
    void boundsClipTheCoefficientsAfterEveryMetaUpdate() {
        // Adam raises theta_0 from 0.002 on every step here; an upper bound of 0.0025 must hold it there
        Run r = run(TINY.replace("\"report_every\":2", "\"report_every\":1")
                .replace("\"seed\":7", "\"seed\":7,\"theta_max\":[0.0025,null,null,null,null,null,null,null,null,null]"));
        assertThat(r.exit()).isZero();
        List<Double> theta0 = r.events().stream().filter(e -> e.get("type").asText().equals("episode"))
                .map(e -> e.get("theta").get(0).asDouble()).toList();
        assertThat(theta0).hasSize(6).allMatch(t -> t <= 0.0025).contains(0.0025);
        Run bad = run(TINY.replace("\"seed\":7", "\"seed\":7,\"theta_min\":[0.01,null,null,null,null,null,null,null,null,null]"));
        assertThat(bad.exit()).isEqualTo(TrialProcess.EXIT_BAD_SPEC);
        assertThat(bad.raw()).contains("theta_init[0]").contains("0.002").contains("[0.01");
    }

    @Test
    void missingDataSetNamesTheExpectedFiles() {
        Run r = run(TINY.replace("\"dataset\":\"builtin\"", "\"dataset\":\"emnist-balanced\",\"data_dir\":\"/nonexistent\""));
        assertThat(r.exit()).isEqualTo(TrialProcess.EXIT_NO_DATA);
        assertThat(r.last().get("message").asText())
                .contains("emnist-balanced-train-images-idx3-ubyte").contains("/nonexistent").contains("nist.gov");
    }
}
