package io.milvus.upgrade.localstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root, found from wherever Maven or make runs us. */
public final class Repository {

    private Repository() {
    }

    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("manifests/crd")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the repository: no manifests/crd above " + Path.of("").toAbsolutePath());
    }
}
