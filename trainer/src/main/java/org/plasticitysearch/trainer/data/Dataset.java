package org.plasticitysearch.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Labelled 28x28 grey images, grouped by class. Pixels are kept as unsigned bytes and scaled to [0, 1] (no other
 * normalisation, as in the paper) when a task is built.
 */
public final class Dataset {
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;

    private final String name;
    private final byte[][] images;
    private final int[] labels;
    private final int[][] byClass;

    /**
     * @param perClassLimit keep at most this many images of each class, in file order (0: all)
     */
    public Dataset(String name, byte[][] images, int[] labels, int perClassLimit) {
        if (images.length != labels.length) {
            throw new DataException(name + ": " + images.length + " images but " + labels.length + " labels");
        }
        for (byte[] img : images) {
            if (img.length != PIXELS) {
                throw new DataException(name + ": image of " + img.length + " pixels; expected " + PIXELS);
            }
        }
        this.name = name;
        this.images = images;
        this.labels = labels;
        int maxLabel = -1;
        for (int y : labels) {
            maxLabel = Math.max(maxLabel, y);
        }
        List<List<Integer>> groups = new ArrayList<>();
        for (int c = 0; c <= maxLabel; c++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            List<Integer> g = groups.get(labels[i]);
            if (perClassLimit <= 0 || g.size() < perClassLimit) {
                g.add(i);
            }
        }
        byClass = new int[groups.size()][];
        for (int c = 0; c < groups.size(); c++) {
            byClass[c] = groups.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    public String name() {
        return name;
    }

    /** Number of label values (max label + 1). */
    public int numLabels() {
        return byClass.length;
    }

    /** Indices of the images of class c. */
    public int[] indicesOf(int c) {
        return byClass[c];
    }

    /** Classes that have at least {@code min} images. */
    public int[] classesWithAtLeast(int min) {
        return java.util.stream.IntStream.range(0, byClass.length).filter(c -> byClass[c].length >= min).toArray();
    }

    public int size() {
        return images.length;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Image i as doubles in [0, 1]. */
    public double[] pixels(int i) {
        byte[] img = images[i];
        double[] x = new double[img.length];
        for (int p = 0; p < img.length; p++) {
            x[p] = (img[p] & 0xff) / 255.0;
        }
        return x;
    }
}
