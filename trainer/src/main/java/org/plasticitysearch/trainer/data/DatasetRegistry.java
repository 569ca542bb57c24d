package org.plasticitysearch.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves a data set name of the trial spec to images: {@code builtin}, {@code fashion-mnist}, {@code mnist},
 * {@code emnist-balanced}, or {@code idx:IMAGES_FILE} (the labels file next to it, named with "labels-idx1" for
 * "images-idx3"). Files are looked for in the given data directory, then {@code $PLASTICITY_DATA/<name>}, then
 * {@code $PLASTICITY_HOME/data/<name>} (default {@code ~/.local/share/plasticity-search/data/<name>}), and for Fashion-MNIST Debian's
 * {@code /usr/share/datasets/fashion-mnist}; names are tried with and without ".gz".
 */
public final class DatasetRegistry {
    /** Which half of a data set. */
    public enum Split {
        TRAIN, TEST;

        public static Split parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "train": return TRAIN;
                case "test": return TEST;
                default: throw new IllegalArgumentException("split: '" + s + "' is not allowed; use train or test");
            }
        }
    }

    private DatasetRegistry() {
    }

    public static Dataset load(String name, String dataDir, Split split, int perClassLimit) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("builtin")) {
            Dataset d = BuiltinGlyphs.create(perClassLimit > 0 ? perClassLimit : BuiltinGlyphs.DEFAULT_PER_CLASS);
            return d;
        }
        if (name.startsWith("idx:")) {
            Path images = Paths.get(name.substring(4));
            String labelsName = images.getFileName().toString().replace("images-idx3", "labels-idx1")
                    .replace("images.idx3", "labels.idx1");
            Path labels = images.resolveSibling(labelsName);
            if (labels.equals(images)) {
                throw new DataException("dataset: cannot infer the labels file of " + images
                        + "; name the images file *images-idx3-ubyte[.gz] with *labels-idx1-ubyte[.gz] beside it");
            }
            return read(name, images, labels, perClassLimit);
        }
        String prefix;
        List<Path> dirs = new ArrayList<>();
        String folder;
        switch (key) {
            case "fashion-mnist":
                folder = "fashion-mnist";
                prefix = split == Split.TRAIN ? "train" : "t10k";
                break;
            case "mnist":
                folder = "mnist";
                prefix = split == Split.TRAIN ? "train" : "t10k";
                break;
            case "emnist-balanced":
                folder = "emnist";
                prefix = split == Split.TRAIN ? "emnist-balanced-train" : "emnist-balanced-test";
                break;
            default:
                throw new IllegalArgumentException("dataset: '" + name + "' is not allowed; use builtin,"
                        + " fashion-mnist, mnist, emnist-balanced or idx:PATH_TO_IMAGES_FILE");
        }
        if (dataDir != null && !dataDir.isEmpty()) {
            dirs.add(Paths.get(dataDir));
            dirs.add(Paths.get(dataDir, folder));
        }
        String env = System.getenv("PLASTICITY_DATA");
        if (env != null && !env.isEmpty()) {
            dirs.add(Paths.get(env, folder));
        }
        String home = System.getenv("PLASTICITY_HOME");
        dirs.add(home != null && !home.isBlank() ? Paths.get(home, "data", folder)
                : Paths.get(System.getProperty("user.home"), ".local", "share", "plasticity-search", "data", folder));
        if (key.equals("fashion-mnist")) {
            dirs.add(Paths.get("/usr/share/datasets/fashion-mnist"));
        }
        String imagesName = prefix + "-images-idx3-ubyte";
        String labelsName = prefix + "-labels-idx1-ubyte";
        for (Path dir : dirs) {
            Path images = existing(dir, imagesName);
            Path labels = existing(dir, labelsName);
            if (images != null && labels != null) {
                return read(key, images, labels, perClassLimit);
            }
        }
        StringBuilder hint = new StringBuilder();
        if (key.equals("emnist-balanced")) {
            hint.append("; download gzip.zip from https://www.nist.gov/itl/products-and-services/emnist-dataset"
                    + " and put the emnist-balanced-*-ubyte.gz files there");
        } else if (key.equals("fashion-mnist")) {
            hint.append("; on Debian: apt-get install dataset-fashion-mnist");
        }
        throw new DataException("dataset " + key + ": files " + imagesName + "[.gz] and " + labelsName
                + "[.gz] not found in " + dirs + hint);
    }

    private static Path existing(Path dir, String base) {
        for (String n : new String[]{base + ".gz", base}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Dataset read(String name, Path images, Path labels, int perClassLimit) {
        byte[][] x = Idx.readImages(images, Dataset.SIDE, Dataset.SIDE);
        int[] y = Idx.readLabels(labels);
        return new Dataset(name, x, y, perClassLimit);
    }
}
