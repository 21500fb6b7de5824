package io.milvus.upgrade.image;

import io.milvus.upgrade.version.Version;
import java.util.List;
import java.util.Optional;

/**
 * A container image reference, {@code [registry[:port]/]path[:tag][@digest]}, split the way the
 * container runtimes split it: the tag is what follows the last {@code :} after the last {@code /}.
 */
public record ImageReference(String repository, String tag, String digest) {

    /**
     * Tag suffixes that name a build variant of the same release, not a pre-release: Milvus
     * publishes {@code v2.5.16-gpu} beside {@code v2.5.16}.
     */
    public static final List<String> VARIANT_SUFFIXES = List.of("-gpu");

    public static ImageReference parse(String image) {
        String rest = image.trim();
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
        return new ImageReference(rest, tag, digest);
    }

    public boolean isDigestPinned() {
        return !digest.isEmpty();
    }

    /** No tag, or {@code latest}: the image can change under the same name. */
    public boolean isUnpinned() {
        return !isDigestPinned() && (tag.isEmpty() || tag.equals("latest"));
    }

    /** The tag read as a version ({@code v2.2.0}, {@code 2.2.0}, {@code v2.5.16-gpu}), when it is one. */
    public Optional<Version> tagVersion() {
        if (tag.isEmpty()) return Optional.empty();
        String release = VARIANT_SUFFIXES.stream().filter(tag::endsWith).findFirst()
                .map(suffix -> tag.substring(0, tag.length() - suffix.length())).orElse(tag);
        return Version.parse(release);
    }

    /** The same repository with another tag: {@code milvusdb/milvus} + {@code v2.2.0}. */
    public static String of(String repository, String tag) {
        return repository + ":" + tag;
    }

    @Override
    public String toString() {
        return repository + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
    }
}
