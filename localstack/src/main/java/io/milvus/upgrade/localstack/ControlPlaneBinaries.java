package io.milvus.upgrade.localstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where {@code .ci/install-control-plane.sh} caches kube-apiserver and etcd. */
final class ControlPlaneBinaries {

    static final String VERSION = "v1.20.2";

    private ControlPlaneBinaries() {
    }

    static Path locate() {
        String override = System.getenv("MILVUS_UPGRADE_CONTROL_PLANE_BIN");
        Path bin = override != null && !override.isBlank() ? Path.of(override) : defaultDir();
        if (!Files.isExecutable(bin.resolve("kube-apiserver")) || !Files.isExecutable(bin.resolve("etcd"))) {
            throw new IllegalStateException("no kube-apiserver/etcd in " + bin
                    + ": run 'make control-plane' (or .ci/install-control-plane.sh) first");
        }
        return bin;
    }

    private static Path defaultDir() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("milvus-upgrade/control-plane").resolve(VERSION).resolve("bin");
    }
}
