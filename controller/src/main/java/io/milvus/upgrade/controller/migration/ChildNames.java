package io.milvus.upgrade.controller.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names and label values of what an upgrade creates. A MilvusUpgrade name may be 253 characters:
 * names built on it (ConfigMaps, Events) stop at 253 as well, label values and Job names (which
 * become a pod label) at 63. Longer ones are cut and made unique again with a hash of the whole.
 */
public final class ChildNames {

    static final int LABEL_LIMIT = 63;
    static final int NAME_LIMIT = 253;

    private ChildNames() {
    }

    /** Not {@code <upgrade>-<kind>}: that is the name of the operator's own task ConfigMap and Pod. */
    public static String configMap(String upgrade, TaskKind kind) {
        return fit(upgrade + "-" + kind.label() + "-config", NAME_LIMIT);
    }

    public static String job(String upgrade, TaskKind kind, int attempt) {
        return fit(upgrade + "-" + kind.label() + "-" + attempt, LABEL_LIMIT);
    }

    /** An Event on the upgrade: its name, a dot and {@code suffix} (unique per Event). */
    public static String event(String upgrade, String suffix) {
        return fit(upgrade, NAME_LIMIT - suffix.length() - 1) + "." + suffix;
    }

    /** The {@code milvus.io/upgrade} label value for {@code upgrade}. */
    public static String label(String upgrade) {
        return fit(upgrade, LABEL_LIMIT);
    }

    static String fit(String name, int limit) {
        if (name.length() <= limit) {
            return name;
        }
        String hash = sha256(name).substring(0, 10);
        String head = name.substring(0, limit - hash.length() - 1);
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
