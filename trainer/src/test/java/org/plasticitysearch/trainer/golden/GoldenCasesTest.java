package org.plasticitysearch.trainer.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.plasticitysearch.trainer.linalg.Precision;

/** Every PyTorch-autograd golden episode, in float64 (tight) and float32 (1e-3). */
class GoldenCasesTest {
    static Stream<Arguments> cases() throws Exception {
        try (InputStream in = GoldenCasesTest.class.getResourceAsStream("/golden/meta_gradient_cases.json")) {
            List<GoldenCase> list = GoldenCheck.load(in);
            assertThat(list).hasSizeGreaterThanOrEqualTo(5);
            return list.stream().flatMap(c -> Stream.of(Arguments.of(c, Precision.FLOAT64),
                    Arguments.of(c, Precision.FLOAT32)));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void reproducesPyTorch(GoldenCase c, Precision precision) {
        GoldenCheck.Outcome o = GoldenCheck.check(c, precision);
        System.out.println(precision.label() + " " + o.line());
        assertThat(o.pass()).as(o.line()).isTrue();
    }
}
