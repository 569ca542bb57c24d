package org.plasticitysearch.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.trainer.process.TrialSpec;

class StudyConfigTest {
    static Path configs() {
        Path p = Paths.get("../configs");
        return Files.isDirectory(p) ? p : Paths.get("configs");
    }

    @Test
    void everyReadyConfigParsesAndMakesValidTrialSpecs() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(configs())) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString())
                .contains("quickstart.yaml", "paper-bio-vs-fa.yaml", "pool-subsets-tpe.yaml", "overnight-sweep.yaml");
        for (Path f : files) {
            StudyConfig c = StudyConfig.parse(Files.readString(f));
            assertThat(c.budget()).as(f.toString()).isPositive();
            Map<String, Object> params = new java.util.HashMap<>();
            c.space().params().forEach((k, d) -> params.put(k, d.toExternal(0)));
            for (Map<String, Object> e : c.enqueue()) {
                params.putAll(e);
                // the trainer accepts what the orchestrator will send it
                TrialSpec spec = TrialSpec.parse(new com.fasterxml.jackson.databind.ObjectMapper()
                        .writeValueAsString(c.trialSpec(params, 42)));
                assertThat(spec.seed()).isEqualTo(42);
            }
        }
        StudyConfig bio = StudyConfig.parse(Files.readString(configs().resolve("paper-bio-vs-fa.yaml")));
        Map<String, Object> bioParams = new java.util.HashMap<>(bio.enqueue().get(3));
        bioParams.put("f0", true);
        assertThat(bio.trialSpec(bioParams, 1).get("terms")).isEqualTo(List.of(0, 2, 9));
    }

    static String minimal(String extra) {
        return "name: t\nbudget: 3\nsearch_space:\n  f2: {type: bool}\n" + extra;
    }

    @Test
    void safeguardsAreSearchedLikeAnyParameterAndCheckedWhenTheConfigIsRead() {
        StudyConfig c = StudyConfig.parse("name: t\nbudget: 3\nsearch_space:\n"
                + "  grad_clip: {type: float, low: 2.0, high: 20.0, log: true}\n"
                + "  term_scaling: {type: categorical, choices: [none, norm]}\n"
                + "  trust_region: {type: bool}\n"
                + "  reject_limit: {type: int, low: 0, high: 50}\n"
                + "  reject_factor: {type: fixed, value: 1000.0}\n");
        java.util.Map<String, Object> spec = c.trialSpec(java.util.Map.of("grad_clip", 7.5, "term_scaling", "none",
                "trust_region", false, "reject_limit", 3L, "reject_factor", 1000.0), 11);
        assertThat(spec).containsEntry("grad_clip", 7.5).containsEntry("term_scaling", "none")
                .containsEntry("trust_region", false).containsEntry("reject_limit", 3L)
                .containsEntry("reject_factor", 1000.0);
        assertThatThrownBy(() -> StudyConfig.parse("name: t\nbudget: 3\nsearch_space:\n"
                + "  term_scaling: {type: categorical, choices: [none, sqrt]}\n"))
                .hasMessageContaining("search_space.term_scaling: the value sqrt is not allowed")
                .hasMessageContaining("use none or norm");
        assertThatThrownBy(() -> StudyConfig.parse("name: t\nbudget: 3\nsearch_space:\n"
                + "  grad_clip: {type: float, low: 0.5, high: 5.0}\n"))
                .hasMessageContaining("search_space.grad_clip: the range [0.5, 5.0] is not allowed");
        assertThatThrownBy(() -> StudyConfig.parse("name: t\nbudget: 3\nsearch_space:\n"
                + "  reject_factor: {type: float, low: 0.0, high: 500.0}\n"))
                .hasMessageContaining("search_space.reject_factor: the range [0.0, 500.0] is not allowed");
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> StudyConfig.parse(minimal("budjet: 4\n")))
                .hasMessageContaining("unknown field 'budjet'");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("").replace("budget: 3\n", "")))
                .hasMessageContaining("budget: missing");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("parallelism: 0\n")))
                .hasMessageContaining("parallelism: 0").hasMessageContaining("from 1");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("feedback: backprop\n")))
                .hasMessageContaining("feedback: 'backprop'").hasMessageContaining("fa or bp");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("network: [100, 10]\n")))
                .hasMessageContaining("network").hasMessageContaining("784");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("trial_timeout: soon\n")))
                .hasMessageContaining("trial_timeout: 'soon'");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("sampler: {type: grid}\n").replace("f2: {type: bool}",
                "meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}")))
                .hasMessageContaining("sampler.type: grid is not allowed for this search space (search_space.meta_lr:"
                        + " a continuous float range cannot be searched on a grid");
        // sampler and pruner options are checked when the config is read, not when the first trial is proposed
        assertThatThrownBy(() -> StudyConfig.parse(minimal("sampler: {type: tpe, n_startup: 4}\n")))
                .hasMessageContaining("sampler.n_startup: unknown option for type tpe")
                .hasMessageContaining("n_startup_trials");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("sampler: {type: tpe, constant_liar: 1}\n")))
                .hasMessageContaining("sampler.constant_liar: 1 is not allowed; use true or false");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("sampler: {type: random, n_startup_trials: 4}\n")))
                .hasMessageContaining("sampler.n_startup_trials: unknown option for type random; it takes none");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("pruner: {type: median, n_warmup_steps: 2.5}\n")))
                .hasMessageContaining("pruner.n_warmup_steps: 2.5 is not allowed; use an integer >= 0");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("pruner: {type: successive_halving, reduction_factor: 1}\n")))
                .hasMessageContaining("pruner.reduction_factor: 1 is not allowed; use an integer >= 2");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("pruner: {n_warmup_steps: 2}\n")))
                .hasMessageContaining("pruner.type: null is not allowed");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("reproducible: yes please\n")))
                .hasMessageContaining("reproducible: \"yes please\" is not allowed; use true or false");
        assertThat(StudyConfig.parse(minimal("reproducible: true\n")).reproducible()).isTrue();
        assertThat(StudyConfig.parse(minimal("")).reproducible()).isFalse();
        // a config that names no sampler gets the GP (BENCHMARKS.md: the decision of issue 13)
        assertThat(StudyConfig.parse(minimal("")).sampler())
                .isEqualTo(new org.plasticitysearch.search.SamplerConfig.Gp(10));
        assertThat(StudyConfig.parse(minimal("sampler: {type: gp, n_startup_trials: 4}\n")).sampler())
                .isEqualTo(new org.plasticitysearch.search.SamplerConfig.Gp(4));
        assertThatThrownBy(() -> StudyConfig.parse(minimal("sampler: {type: cmaes}\n")))
                .hasMessageContaining("sampler.type: cmaes");
        assertThatThrownBy(() -> StudyConfig.parse(minimal("enqueue: [{f3: true}]\n")))
                .hasMessageContaining("enqueue[0].f3");
        assertThatThrownBy(() -> StudyConfig.parse("name: t\nbudget: 3\nsearch_space:\n  lr: {type: float, low: 1, high: 0}\n"))
                .hasMessageContaining("search_space.lr");
        assertThatThrownBy(() -> StudyConfig.parse("name: t\nbudget: 3\nsearch_space:\n  depth: {type: bool}\n"))
                .hasMessageContaining("search_space.depth: unknown parameter");
        assertThatThrownBy(() -> StudyConfig.parse("name: 'bad name!'\nbudget: 3\nsearch_space:\n  f2: {type: bool}\n"))
                .hasMessageContaining("name: 'bad name!'");
        assertThatThrownBy(() -> StudyConfig.parse("- just\n- a list\n")).hasMessageContaining("mapping");
    }

    @Test
    void errorsCarryTheFieldsLineAndSuggestTheNearestName() {
        String yaml = String.join("\n", "name: t", "# a comment", "budget: 3", "search_space:",
                "  f2: {type: bool}", "  meta_rl: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}", "");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> StudyConfig.parse(yaml));
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("search_space.meta_rl: unknown parameter; did you mean 'meta_lr'?");
        assertThat(e.in("c.yaml")).startsWith("c.yaml:6: search_space.meta_rl");

        e = catchThrowableOfType(ConfigException.class, () -> StudyConfig.parse(yaml.replace("meta_rl", "meta_lr")
                .replace("budget: 3", "budget: 3\nparalelism: 2")));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("unknown field 'paralelism'; did you mean 'parallelism'?");

        e = catchThrowableOfType(ConfigException.class, () -> StudyConfig.parse(yaml.replace("meta_rl", "meta_lr")
                .replace("budget: 3", "budget: -3")));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).startsWith("budget: -3 is not allowed");

        e = catchThrowableOfType(ConfigException.class, () -> StudyConfig.parse(yaml.replace("log: true}", "log: true")));
        assertThat(e.line()).as("the line of the unclosed '{'").isEqualTo(6);
        assertThat(e.getMessage()).contains("not valid YAML at line 6").contains("expected ',' or '}'");

        e = catchThrowableOfType(ConfigException.class, () -> StudyConfig.parse(yaml.replace("meta_rl", "meta_lr")
                + "enqueue:\n  - {f2: true}\n  - {f7: true}\n"));
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.getMessage()).startsWith("enqueue[1].f7: not in search_space");
        assertThat(YamlLines.nearest("zzz", java.util.List.of("budget", "name"))).isNull();

        e = catchThrowableOfType(ConfigException.class, () -> StudyConfig.parse(yaml.replace("meta_rl", "meta_lr")
                .replace("budget: 3", "budget: 3\nbudget: 4")));
        assertThat(e.getMessage()).contains("Duplicate field 'budget'");
        assertThat(e.line()).isEqualTo(4);
        e = catchThrowableOfType(ConfigException.class, () -> StudyConfig.parse(yaml.replace("meta_rl", "meta_lr")
                .replace("f2: {type: bool}", "f2: {typ: bool}")));
        assertThat(e.getMessage()).startsWith("search_space.f2.typ: unknown field");
        assertThat(e.line()).isEqualTo(5);
    }

    @Test
    void everyNumberIsFiniteAndInTheSpecsRange() {
        String base = "name: t\nbudget: 3\nsearch_space:\n  f2: {type: bool}\n";
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> StudyConfig.parse(base
                + "  meta_lr: {type: float, low: .nan, high: 1.0e-2}\n"));
        assertThat(e.getMessage()).isEqualTo("low: .nan is not allowed: not a finite number; every number in a"
                + " study config is finite");
        assertThat(e.line()).isEqualTo(5);
        assertThatThrownBy(() -> StudyConfig.parse(base + "  lambda: {type: categorical, choices: [0, -.inf]}\n"))
                .hasMessageStartingWith("choices: -.inf is not allowed: not a finite number");
        assertThatThrownBy(() -> StudyConfig.parse(base.replace("budget: 3", "budget: .inf")))
                .hasMessageStartingWith("budget: .inf is not allowed: not a finite number");
        assertThatThrownBy(() -> StudyConfig.parse(base + "  lambda: {type: categorical, choices: [1e999]}\n"))
                .hasMessageContaining("search_space.lambda: the value Infinity is not allowed");
        assertThatThrownBy(() -> StudyConfig.parse(base + "  theta0_init: {type: float, low: -1e308, high: 1e308}\n"))
                .hasMessageContaining("search_space.theta0_init: the value -1.0E308 is not allowed")
                .hasMessageContaining("use a number from -10.0 to 10.0");
    }
}
