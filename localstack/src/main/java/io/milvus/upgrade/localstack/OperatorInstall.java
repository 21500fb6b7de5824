package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code .ci/install-operator.sh} cached: the Milvus Operator binary, versitygw (the S3 store)
 * and the operator's module directory in the Go module cache, whose CRDs, webhook manifests and
 * config templates the harness reads in place.
 */
public record OperatorInstall(String version, Path operator, Path versitygw, Path moduleDir) {

    /** The install for the version pinned in {@code .ci/versions.env}, if the script has run. */
    public static Optional<OperatorInstall> find() {
        String version = pinnedVersion();
        Path cache = ControlPlaneBinaries.cacheBase().resolve("milvus-upgrade/operator").resolve(version);
        Path operator = cache.resolve("bin/milvus-operator");
        Path versitygw = cache.resolve("bin/versitygw");
        Path moduleDirFile = cache.resolve("module-dir");
        if (!Files.isExecutable(operator) || !Files.isExecutable(versitygw) || !Files.isRegularFile(moduleDirFile)) {
            return Optional.empty();
        }
        try {
            Path moduleDir = Path.of(Files.readString(moduleDirFile).strip());
            return Files.isDirectory(moduleDir) ? Optional.of(new OperatorInstall(version, operator, versitygw, moduleDir)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #find()}, or an error that says how to install it. */
    public static OperatorInstall require() {
        return find().orElseThrow(() -> new IllegalStateException(
                "Milvus Operator " + pinnedVersion() + " is not installed: run .ci/install-operator.sh (make control-plane does)"));
    }

    public Path crd(String file) {
        return moduleDir.resolve("config/crd/bases").resolve(file);
    }

    public Path webhookManifests() {
        return moduleDir.resolve("config/webhook/manifests.yaml");
    }

    static String pinnedVersion() {
        String version = ControlPlaneBinaries.pinnedVersions().get("MILVUS_OPERATOR_VERSION");
        if (version == null) throw new IllegalStateException(".ci/versions.env pins no MILVUS_OPERATOR_VERSION");
        return version;
    }
}
