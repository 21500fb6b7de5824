package io.milvus.upgrade.image;

import io.milvus.upgrade.version.Version;
import java.util.List;
import java.util.Optional;

/**
 * A container image reference, {@code [registry[:port]/]path[:tag][@digest]}: the one place that
 * splits image names, for the webhook, the controller and the planner alike.
 *
 * <p>Two readings of the tag exist and both are kept here. {@link #tag()} is the container
 * runtimes' reading: what follows the last {@code :} after the last {@code /}, before any
 * {@code @digest}. {@link #operatorTag()} is Milvus Operator's: the text after the image's last
 * {@code :}, whatever it is (so {@code repo:v2.6.24@sha256:...} reads as the digest's hex, and
 * {@code registry:5000/milvus} as {@code 5000/milvus}); the operator picks a Milvus's component
 * layout from it ({@code isImageVersionGreaterThan2_6}, apis/milvus.io/v1beta1/milvus_types.go,
 * operator v1.3.8).
 *
 * @param repository the repository as written ({@code docker.io/milvusdb/milvus}); {@link #name()} is its canonical form
 */
public record ImageReference(String repository, String tag, String digest, String operatorTag) {

    /**
     * Tag suffixes that name a build variant of the same release, not a pre-release: Milvus
     * publishes {@code v2.5.16-gpu} beside {@code v2.5.16}.
     */
    public static final List<String> VARIANT_SUFFIXES = List.of("-gpu");

    /** Docker Hub's names for itself: {@code docker.io/milvusdb/milvus} is {@code milvusdb/milvus}. Public for the CEL export. */
    public static final List<String> DOCKER_HUB = List.of("docker.io/", "index.docker.io/", "registry-1.docker.io/");

    /** Docker Hub's namespace of official images: {@code library/busybox} is {@code busybox}. */
    public static final String OFFICIAL = "library/";

    /** How a nightly build's tag starts, as the operator recognises it. */
    public static final String NIGHTLY_PREFIX = "master-";

    public static ImageReference parse(String image) {
        String rest = image.trim();
        int lastColon = rest.lastIndexOf(':');
        String operatorTag = lastColon < 0 ? "" : rest.substring(lastColon + 1);
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageReference(rest, tag, digest, operatorTag);
    }

    /**
     * The repository as Docker names it for short: Docker Hub's registry names and its
     * {@code library/} namespace dropped, any other registry (with its port) kept. Two images
     * with the same name come from the same repository.
     */
    public String name() {
        return canonical(repository);
    }

    /** An allowed repository prefix in the canonical form {@link #isUnder} compares, without its trailing '/'. */
    public static String canonicalPrefix(String prefix) {
        return canonical(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }

    /** {@code prefix} names this repository, or a registry or namespace above it ({@code registry.local/}). */
    public boolean isUnder(String prefix) {
        String name = name();
        String allowed = canonicalPrefix(prefix);
        return name.equals(allowed) || name.startsWith(allowed + "/");
    }

    public boolean sameRepository(ImageReference other) {
        return name().equals(other.name());
    }

    public boolean isDigestPinned() {
        return !digest.isEmpty();
    }

    /** No tag, {@code latest}, or a nightly {@code master-...} build: the image can change under the same name. */
    public boolean isUnpinned() {
        return !isDigestPinned() && (tag.isEmpty() || tag.equals("latest") || isNightly());
    }

    /** A nightly build of Milvus's main branch ({@code master-20261201-1a2b3c4d-amd64}), as the operator recognises it. */
    public boolean isNightly() {
        return operatorTag.startsWith(NIGHTLY_PREFIX);
    }

    /** The tag read as a version ({@code v2.2.0}, {@code 2.2.0}, {@code v2.5.16-gpu}), when it is one. */
    public Optional<Version> tagVersion() {
        return release(tag);
    }

    /**
     * The operator's tag read as a version: empty for a nightly, and for a digest
     * ({@code repo:v2.6.24@sha256:...} included), whose hex the operator's parser refuses too.
     */
    public Optional<Version> operatorTagVersion() {
        return isDigestPinned() ? Optional.empty() : release(operatorTag);
    }

    /** The variant suffix of the tag ({@code -gpu}), or empty. */
    public String variant() {
        return VARIANT_SUFFIXES.stream().filter(tag::endsWith).findFirst().orElse("");
    }

    /** The same repository at {@code version}, keeping the variant ({@code -gpu}) and dropping any digest. */
    public String retagged(Version version) {
        return of(repository, version.imageTag() + variant());
    }

    /** The same repository with another tag: {@code milvusdb/milvus} + {@code v2.2.0}. */
    public static String of(String repository, String tag) {
        return repository + ":" + tag;
    }

    /** {@code text} as a release version, a variant suffix aside. */
    static Optional<Version> release(String text) {
        if (text.isEmpty()) return Optional.empty();
        String release = VARIANT_SUFFIXES.stream().filter(text::endsWith).findFirst()
                .map(suffix -> text.substring(0, text.length() - suffix.length())).orElse(text);
        return Version.parse(release);
    }

    private static String canonical(String repository) {
        String name = repository;
        for (String hub : DOCKER_HUB) {
            if (name.startsWith(hub)) {
                name = name.substring(hub.length());
                break;
            }
        }
        boolean onDockerHub = !hasRegistry(name);
        return onDockerHub && name.startsWith(OFFICIAL) ? name.substring(OFFICIAL.length()) : name;
    }

    /** Docker's rule: a first path element with a dot or a port, or {@code localhost}, is a registry. */
    private static boolean hasRegistry(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) return false;
        String first = name.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }

    @Override
    public String toString() {
        return repository + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
    }
}
