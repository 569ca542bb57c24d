package org.plasticitysearch.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.trainer.episode.Task;

class DataTest {
    @TempDir
    Path dir;

    static void writeIdx(Path images, Path labels, int n, int side, boolean gzip) throws IOException {
        try (DataOutputStream out = new DataOutputStream(stream(images, gzip))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(side);
            out.writeInt(side);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < side * side; p++) {
                    out.writeByte((i * 7 + p) & 0xff);
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(stream(labels, gzip))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % 3);
            }
        }
    }

    private static OutputStream stream(Path p, boolean gzip) throws IOException {
        OutputStream o = Files.newOutputStream(p);
        return gzip ? new GZIPOutputStream(o) : o;
    }

    @Test
    void readsGzipAndRawIdxByContentNotName() throws IOException {
        for (boolean gz : new boolean[]{true, false}) {
            Path img = dir.resolve("x" + gz + "-images-idx3-ubyte");
            Path lab = dir.resolve("x" + gz + "-labels-idx1-ubyte");
            writeIdx(img, lab, 12, 28, gz);
            Dataset d = DatasetRegistry.load("idx:" + img, null, DatasetRegistry.Split.TRAIN, 0);
            assertThat(d.size()).isEqualTo(12);
            assertThat(d.label(4)).isEqualTo(1);
            assertThat(d.pixels(1)[2]).isEqualTo(((7 + 2) & 0xff) / 255.0);
            assertThat(d.indicesOf(2)).containsExactly(2, 5, 8, 11);
        }
    }

    @Test
    void wrongImageSizeIsRejectedWithBothSizes() throws IOException {
        Path img = dir.resolve("s-images-idx3-ubyte.gz");
        writeIdx(img, dir.resolve("s-labels-idx1-ubyte.gz"), 4, 10, true);
        assertThatThrownBy(() -> DatasetRegistry.load("idx:" + img, null, DatasetRegistry.Split.TRAIN, 0))
                .isInstanceOf(DataException.class).hasMessageContaining("10x10").hasMessageContaining("28x28");
    }

    @Test
    void aTruncatedIdxFileSaysSoWithTheCountsNotNull() throws IOException {
        for (boolean gz : new boolean[]{false, true}) {
            Path img = dir.resolve("t" + gz + "-images-idx3-ubyte" + (gz ? ".gz" : ""));
            writeIdx(img, dir.resolve("t" + gz + "-labels-idx1-ubyte" + (gz ? ".gz" : "")), 12, 28, gz);
            byte[] all = java.nio.file.Files.readAllBytes(img);
            java.nio.file.Files.write(img, java.util.Arrays.copyOf(all, all.length * 2 / 3));
            assertThatThrownBy(() -> DatasetRegistry.load("idx:" + img, null, DatasetRegistry.Split.TRAIN, 0))
                    .isInstanceOf(DataException.class).hasMessageContaining("truncated")
                    .hasMessageNotContaining("null");
        }
        Path raw = dir.resolve("tfalse-images-idx3-ubyte");
        assertThatThrownBy(() -> Idx.readImages(raw, 28, 28)).hasMessageContaining("announces 12 images")
                .hasMessageContaining("ends after 7");
        java.nio.file.Files.write(raw, new byte[]{0, 0, 8});
        assertThatThrownBy(() -> Idx.readImages(raw, 28, 28)).hasMessageContaining("ends inside its header");
    }

    @Test
    void builtinHas47ClassesAndIsDeterministic() {
        Dataset a = BuiltinGlyphs.create(20);
        Dataset b = BuiltinGlyphs.create(20);
        assertThat(a.numLabels()).isEqualTo(47);
        assertThat(a.size()).isEqualTo(47 * 20);
        for (int i = 0; i < a.size(); i += 97) {
            assertThat(a.pixels(i)).containsExactly(b.pixels(i));
        }
        // images of one class differ (distortion), and carry ink
        assertThat(a.pixels(0)).isNotEqualTo(a.pixels(1));
        assertThat(Arrays.stream(a.pixels(0)).sum()).isGreaterThan(20);
    }

    @Test
    void taskSamplerDrawsDistinctClassesAndDisjointImages() {
        Dataset d = BuiltinGlyphs.create(30);
        TaskSampler s = new TaskSampler(d, 5, 10, 4, false, false);
        Task t = s.sample(new SplittableRandom(3));
        assertThat(t.trainSize()).isEqualTo(50);
        assertThat(t.querySize()).isEqualTo(20);
        Set<Integer> classes = new HashSet<>();
        for (int y : t.trainY()) {
            classes.add(y);
        }
        assertThat(classes).hasSize(5);
        Set<String> train = new HashSet<>();
        for (double[] x : t.trainX()) {
            train.add(Arrays.toString(x));
        }
        assertThat(train).hasSize(50);
        for (double[] x : t.queryX()) {
            assertThat(train).doesNotContain(Arrays.toString(x));
        }
        // seeded: same seed, same task
        Task again = s.sample(new SplittableRandom(3));
        assertThat(again.trainY()).containsExactly(t.trainY());
    }

    @Test
    void authorsProtocolTakesTheFirstImagesOfAClass() {
        Dataset d = BuiltinGlyphs.create(30);
        TaskSampler s = new TaskSampler(d, 3, 2, 1, true, true);
        Task t = s.sample(new SplittableRandom(1));
        for (int i = 0; i < t.querySize(); i++) {
            int c = t.queryY()[i];
            assertThat(t.queryX()[i]).containsExactly(d.pixels(d.indicesOf(c)[2]));
        }
    }
}
