package io.milvus.upgrade.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.version.Version;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one image-name rule: every row one fact about how a reference splits and what it names. */
class ImageReferenceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // image                                          | repository                        | name                      | tag          | digest      | operator's tag
            "milvusdb/milvus:v2.5.16                          | milvusdb/milvus                   | milvusdb/milvus           | v2.5.16      | ''          | v2.5.16",
            "docker.io/milvusdb/milvus:v2.5.16                | docker.io/milvusdb/milvus         | milvusdb/milvus           | v2.5.16      | ''          | v2.5.16",
            "index.docker.io/milvusdb/milvus:v2.5.16          | index.docker.io/milvusdb/milvus   | milvusdb/milvus           | v2.5.16      | ''          | v2.5.16",
            "docker.io/library/busybox:1.36                   | docker.io/library/busybox         | busybox                   | 1.36         | ''          | 1.36",
            "library/busybox                                  | library/busybox                   | busybox                   | ''           | ''          | ''",
            "registry.local/library/milvus:v2.6.24            | registry.local/library/milvus     | registry.local/library/milvus | v2.6.24  | ''          | v2.6.24",
            "registry.local:5000/milvus/milvus:v2.2.0         | registry.local:5000/milvus/milvus | registry.local:5000/milvus/milvus | v2.2.0 | ''       | v2.2.0",
            "registry.local:5000/milvus/milvus                | registry.local:5000/milvus/milvus | registry.local:5000/milvus/milvus | ''     | ''       | 5000/milvus/milvus",
            "localhost/milvus:v2.6.24                         | localhost/milvus                  | localhost/milvus          | v2.6.24      | ''          | v2.6.24",
            "milvusdb/milvus:v2.6.24@sha256:abc123            | milvusdb/milvus                   | milvusdb/milvus           | v2.6.24      | sha256:abc123 | abc123",
            "milvusdb/milvus@sha256:abc123                    | milvusdb/milvus                   | milvusdb/milvus           | ''           | sha256:abc123 | abc123",
            "milvusdb/milvus:master-20261201-1a2b3c4d-amd64   | milvusdb/milvus                   | milvusdb/milvus           | master-20261201-1a2b3c4d-amd64 | '' | master-20261201-1a2b3c4d-amd64",
    })
    void splitsOneWay(String image, String repository, String name, String tag, String digest, String operatorTag) {
        ImageReference ref = ImageReference.parse(image);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.name()).isEqualTo(name);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isEqualTo(digest);
        assertThat(ref.operatorTag()).isEqualTo(operatorTag);
        assertThat(ref.toString()).isEqualTo(image);
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({"milvusdb/milvus:v2.5.16, docker.io/milvusdb/milvus:v2.6.24, true",
            "index.docker.io/milvusdb/milvus:v2.5.16, docker.io/milvusdb/milvus@sha256:ab, true",
            "busybox, docker.io/library/busybox:1, true",
            "milvusdb/milvus:v2.5.16, registry.local/milvusdb/milvus:v2.5.16, false",
            "registry.local:5000/milvus:v1, registry.local/milvus:v1, false"})
    void sameRepository(String a, String b, boolean same) {
        assertThat(ImageReference.parse(a).sameRepository(ImageReference.parse(b))).isEqualTo(same);
        assertThat(ImageReference.parse(b).sameRepository(ImageReference.parse(a))).isEqualTo(same);
    }

    @ParameterizedTest(name = "{0} pinned: {1}, version {2}")
    @CsvSource({"milvusdb/milvus:v2.5.16, true, 2.5.16", "milvusdb/milvus:v2.5.16-gpu, true, 2.5.16",
            "milvusdb/milvus:2.6.0-rc1, true, 2.6.0-rc1", "milvusdb/milvus:latest, false, ''", "milvusdb/milvus, false, ''",
            "milvusdb/milvus@sha256:ab, true, ''", "milvusdb/milvus:v3.0-beta, true, ''"})
    void pinsAndVersions(String image, boolean pinned, String version) {
        ImageReference ref = ImageReference.parse(image);
        assertThat(ref.isUnpinned()).isEqualTo(!pinned);
        assertThat(ref.tagVersion().map(Version::toString).orElse("")).isEqualTo(version);
    }

    @ParameterizedTest(name = "{0} at 3.0.5")
    @CsvSource({"milvusdb/milvus:v2.6.24, milvusdb/milvus:v3.0.5", "milvusdb/milvus:v2.6.24-gpu, milvusdb/milvus:v3.0.5-gpu",
            "docker.io/milvusdb/milvus:v2.6.24@sha256:ab, docker.io/milvusdb/milvus:v3.0.5",
            "registry.local:5000/milvus:v2.6.24, registry.local:5000/milvus:v3.0.5"})
    void retagged(String image, String expected) {
        assertThat(ImageReference.parse(image).retagged(Version.of("3.0.5"))).isEqualTo(expected);
    }
}
