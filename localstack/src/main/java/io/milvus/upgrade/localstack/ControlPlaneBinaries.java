package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where {@code .ci/install-control-plane.sh} caches kube-apiserver, etcd and kubectl, at the
 * Kubernetes version {@code .ci/versions.env} pins (read here too, so that the pin stays in one place).
 */
public final class ControlPlaneBinaries {

    private static final List<String> BINARIES = List.of("kube-apiserver", "etcd", "kubectl");

    private ControlPlaneBinaries() {
    }

    /** The Kubernetes release the control plane is built from, e.g. {@code v1.37.2}. */
    public static String kubernetesVersion() {
        String version = pinnedVersions().get("KUBERNETES_VERSION");
        if (version == null) {
            throw new IllegalStateException(".ci/versions.env pins no KUBERNETES_VERSION");
        }
        return version;
    }

    /** The kubectl of the same release, which the tests and {@code make run} use. */
    public static Path kubectl() {
        return locate().resolve("kubectl");
    }

    static Path locate() {
        String override = System.getenv("MILVUS_UPGRADE_CONTROL_PLANE_BIN");
        Path bin = override != null && !override.isBlank() ? Path.of(override) : defaultDir();
        for (String binary : BINARIES) {
            if (!Files.isExecutable(bin.resolve(binary))) {
                throw new IllegalStateException("no " + binary + " in " + bin
                        + ": run 'make control-plane' (or .ci/install-control-plane.sh) first");
            }
        }
        return bin;
    }

    private static Path defaultDir() {
        return cacheBase().resolve("milvus-upgrade/control-plane").resolve(kubernetesVersion()).resolve("bin");
    }

    /** Where the .ci/install-*.sh scripts cache what they build: $XDG_CACHE_HOME, else ~/.cache. */
    static Path cacheBase() {
        String cache = System.getenv("XDG_CACHE_HOME");
        return cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    }

    /** .ci/versions.env's NAME=value lines. */
    static Map<String, String> pinnedVersions() {
        Path file = Repository.root().resolve(".ci/versions.env");
        try (var lines = Files.lines(file)) {
            return lines.map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#") && line.contains("="))
                    .map(line -> line.split("=", 2))
                    .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1], (first, second) -> second));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
