package org.plasticitysearch.orchestrator.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token of a REST API that listens beyond loopback: 32 random bytes, generated once and kept in
 * {@code $PLASTICITY_HOME/api-token} (mode 0600), compared in constant time.
 */
public final class ApiToken {
    private final String value;
    private boolean created;

    private ApiToken(String value) {
        this.value = value;
    }

    /** The token in {@code file}; created (0600) when there is none. {@link #created} says which. */
    public static ApiToken loadOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String v = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (v.length() >= 32) {
                    return new ApiToken(v);
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String v = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".part");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, v + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ApiToken t = new ApiToken(v);
            t.created = true;
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token " + file, e);
        }
    }

    /** Whether this call generated the token (it is shown once, then). */
    public boolean created() {
        return created;
    }

    public String value() {
        return value;
    }

    /** Whether an {@code Authorization} header carries this token. */
    public boolean accepts(String authorization) {
        // the scheme's name is case-insensitive (RFC 9110 11.1), the token is not
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.US_ASCII));
    }
}
