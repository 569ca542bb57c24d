package org.plasticitysearch.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceSpecTest {
    @Test
    void readsEveryKindOfParameterInOrder() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("f0", Map.of("type", "fixed", "value", true));
        spec.put("f2", Map.of("type", "bool"));
        spec.put("meta_lr", Map.of("type", "float", "low", 1e-4, "high", 1e-1, "log", true));
        spec.put("episodes", Map.of("type", "int", "low", 50, "high", 300, "step", 50));
        spec.put("optimizer", Map.of("type", "categorical", "choices", List.of("adam", "sgd")));
        SearchSpace s = SearchSpaceSpec.parse(spec);
        assertThat(s.params().keySet()).containsExactly("f0", "f2", "meta_lr", "episodes", "optimizer");
        assertThat(s.params().get("meta_lr")).isEqualTo(new Distribution.FloatRange(1e-4, 1e-1, true, null));
        assertThat(s.params().get("episodes")).isEqualTo(new Distribution.IntRange(50, 300, false, 50));
        assertThat(s.params().get("f2")).isEqualTo(new Distribution.Categorical(List.of(false, true)));
        // the 512 subsets of F1..F9 with F0 on, as a grid
        Map<String, Object> subsets = new LinkedHashMap<>();
        subsets.put("f0", Map.of("type", "fixed", "value", true));
        for (int r = 1; r <= 9; r++) {
            subsets.put("f" + r, Map.of("type", "bool"));
        }
        assertThat(GridSampler.size(SearchSpaceSpec.parse(subsets))).isEqualTo(512);
    }

    @Test
    void errorsNameTheParameterTheFieldAndWhatIsAllowed() {
        assertThatThrownBy(() -> SearchSpaceSpec.parse(Map.of("lr", Map.of("type", "floot", "low", 0, "high", 1))))
                .hasMessageContaining("lr.type").hasMessageContaining("floot").hasMessageContaining("float");
        assertThatThrownBy(() -> SearchSpaceSpec.parse(Map.of("lr", Map.of("type", "float", "low", 0.0, "high", 1.0,
                "log", true)))).hasMessageContaining("lr").hasMessageContaining("log");
        assertThatThrownBy(() -> SearchSpaceSpec.parse(Map.of("lr", Map.of("type", "float", "low", "a", "high", 1.0))))
                .hasMessageContaining("lr.low").hasMessageContaining("number");
        assertThatThrownBy(() -> SearchSpaceSpec.parse(Map.of("k", Map.of("type", "int", "low", 1.5, "high", 3))))
                .hasMessageContaining("k.low").hasMessageContaining("integer");
        assertThatThrownBy(() -> SearchSpaceSpec.parse(Map.of("c", Map.of("type", "categorical"))))
                .hasMessageContaining("c.choices");
        assertThatThrownBy(() -> SearchSpaceSpec.parse(Map.of("x", Map.of("type", "fixed"))))
                .hasMessageContaining("x.value");
        assertThatThrownBy(() -> SearchSpaceSpec.parse(Map.of("x", 3))).hasMessageContaining("x: 3");
        assertThatThrownBy(() -> SearchSpaceSpec.parse(Map.of())).hasMessageContaining("search_space");
    }
}
