package io.milvus.upgrade.controller.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names and label values of what an upgrade owns. A MilvusUpgrade name may be 253 characters,
 * but label values (and Job names, which become a pod label) stop at 63: longer ones are cut
 * and made unique again with a hash of the whole.
 */
public final class ChildNames {

    static final int LABEL_LIMIT = 63;

    private ChildNames() {
    }

    public static String configMap(String upgrade, TaskKind kind) {
        return upgrade + "-" + kind.label();
    }

    public static String job(String upgrade, TaskKind kind, int attempt) {
        return fit(upgrade + "-" + kind.label() + "-" + attempt);
    }

    /** The {@code milvus.io/upgrade} label value for {@code upgrade}. */
    public static String label(String upgrade) {
        return fit(upgrade);
    }

    static String fit(String name) {
        if (name.length() <= LABEL_LIMIT) {
            return name;
        }
        String hash = sha256(name).substring(0, 10);
        String head = name.substring(0, LABEL_LIMIT - hash.length() - 1);
        while (head.endsWith("-") || head.endsWith(".")) head = head.substring(0, head.length() - 1);
        return head + "-" + hash;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
