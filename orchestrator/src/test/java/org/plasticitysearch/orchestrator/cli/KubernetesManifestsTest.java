package org.plasticitysearch.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ops/k8s against the Kubernetes object schemas (fabric8's models, generated from the API's OpenAPI): every object
 * reads into its typed model with no unknown field anywhere, the worker containers have CPU and memory limits and
 * take the database URL from the Secret, and their arguments are a command line this CLI accepts.
 * Not checked: a real cluster (no Kubernetes runs here) and the image build (no container engine).
 */
class KubernetesManifestsTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Deployment", Deployment.class,
            "Job", Job.class, "Secret", Secret.class);

    static Path dir() {
        Path p = Path.of("ops", "k8s");
        return Files.isDirectory(p) ? p : Path.of("..", "ops", "k8s");
    }

    static List<HasMetadata> objects() throws Exception {
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : YAML.readValues(YAML.getFactory().createParser(f.toFile()), JsonNode.class)
                        .readAll()) {
                    String kind = doc.path("kind").asText();
                    assertThat(KINDS).as("%s: kind %s", f, kind).containsKey(kind);
                    HasMetadata o = YAML.treeToValue(doc, KINDS.get(kind));
                    List<String> unknown = new ArrayList<>();
                    unknownFields(o, f.getFileName() + ":" + kind, unknown);
                    assertThat(unknown).as("fields the schema does not have").isEmpty();
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** fabric8's models keep fields they do not know in additionalProperties: any there is a schema error. */
    static void unknownFields(Object o, String path, List<String> problems) throws Exception {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) {
                unknownFields(x, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), problems);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || !g.getName().startsWith("get") || g.getName().equals("getClass")) {
                continue;
            }
            Object v = g.invoke(o);
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(v, path + "." + g.getName().substring(3), problems);
            }
        }
    }

    @Test
    void theManifestsMatchTheSchemasAndRunCommandsThisCliAccepts() throws Exception {
        List<HasMetadata> objects = objects();
        assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Job", "Secret");
        Secret secret = (Secret) objects.stream().filter(o -> o instanceof Secret).findFirst().orElseThrow();
        for (HasMetadata o : objects) {
            PodSpec pod = o instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                    : o instanceof Job j ? j.getSpec().getTemplate().getSpec() : null;
            if (pod == null) {
                continue;
            }
            for (Container c : pod.getContainers()) {
                String what = o.getMetadata().getName() + "/" + c.getName();
                assertThat(c.getResources().getLimits()).as(what).containsKeys("cpu", "memory");
                // one CPU per slot
                int slots = Integer.parseInt(c.getArgs().get(c.getArgs().indexOf("--slots") + 1));
                assertThat(c.getResources().getLimits().get("cpu").getNumericalAmount().intValue()).as(what)
                        .isEqualTo(slots);
                EnvVar url = c.getEnv().stream().filter(e -> e.getName().equals("PLASTICITY_DB_URL")).findFirst()
                        .orElseThrow();
                assertThat(url.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
                assertThat(secret.getStringData()).containsKey(url.getValueFrom().getSecretKeyRef().getKey());
                // the container's command line parses as a plasticity command
                String[] args = c.getArgs().toArray(String[]::new);
                PlasticityCli.commandLine(args).parseArgs(args);
            }
        }
    }
}
