package org.plasticitysearch.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST, Fashion-MNIST and EMNIST (unsigned-byte data only), gzip-compressed or raw
 * (detected from the first two bytes, not from the file name).
 */
public final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /** Images file (magic 0x00000803): returns [n][rows * cols] unsigned bytes. */
    public static byte[][] readImages(Path file, int expectedRows, int expectedCols) {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, 3);
            if (dims[1] != expectedRows || dims[2] != expectedCols) {
                throw new DataException(file + ": images are " + dims[1] + "x" + dims[2] + "; expected "
                        + expectedRows + "x" + expectedCols);
            }
            byte[][] images = new byte[dims[0]][dims[1] * dims[2]];
            for (int i = 0; i < images.length; i++) {
                try {
                    in.readFully(images[i]);
                } catch (java.io.EOFException e) {
                    throw truncated(file, i, images.length, "images");
                }
            }
            return images;
        } catch (IOException e) {
            throw new DataException(file + ": cannot read IDX images (" + reason(e) + ")", e);
        }
    }

    /** Labels file (magic 0x00000801). */
    public static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, 1);
            byte[] raw = new byte[dims[0]];
            try {
                in.readFully(raw);
            } catch (java.io.EOFException e) {
                throw truncated(file, -1, raw.length, "labels");
            }
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw new DataException(file + ": cannot read IDX labels (" + reason(e) + ")", e);
        }
    }

    private static DataException truncated(Path file, int read, int announced, String what) {
        return new DataException(file + ": truncated: its header announces " + announced + " " + what + " but the file"
                + " ends" + (read >= 0 ? " after " + read : " early") + "; download it again");
    }

    private static String reason(IOException e) {
        if (e instanceof java.io.EOFException) {
            return "the file ends inside its header: truncated or empty";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw;
        return new DataInputStream(in);
    }

    private static int[] header(DataInputStream in, Path file, int expectedRank) throws IOException {
        int zero = in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int rank = in.readUnsignedByte();
        if (zero != 0 || type != UNSIGNED_BYTE || rank != expectedRank) {
            throw new DataException(String.format("%s: not an IDX file of unsigned bytes with %d dimension(s)"
                    + " (magic %04x %02x %02x)", file, expectedRank, zero, type, rank));
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new DataException(file + ": negative dimension " + dims[i]);
            }
        }
        return dims;
    }
}
