package io.milvus.upgrade.components;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;
import java.util.Optional;

/**
 * How Milvus Operator reads the version of a Milvus, which decides the component layout it
 * deploys (2.6 and later: mixCoord, streamingNode, no indexNode). Ported from
 * {@code isImageVersionGreaterThan2_6} in zilliztech/milvus-operator v1.3.8,
 * apis/milvus.io/v1beta1/milvus_types.go: {@code spec.components.version} when set (a version
 * that does not parse counts as older); else the text after the global image's last {@code :},
 * where {@code master-...} counts as 2.6 or later and anything that is not a version as older.
 * The operator parses with blang/semver's {@code ParseTolerant} and compares with 2.5.999.
 */
public record OperatorVersionReading(String versionField, String image) {

    /** The first version of the 2.6 layout. */
    public static final Version LAYOUT_2_6 = Version.of("2.6.0");

    public static OperatorVersionReading of(Milvus milvus) {
        MilvusComponents components = milvus == null || milvus.getSpec() == null ? null : milvus.getSpec().getComponents();
        return components == null ? new OperatorVersionReading(null, null)
                : new OperatorVersionReading(blankToNull(components.getVersion()), blankToNull(components.getImage()));
    }

    /** Whether the operator deploys the 2.6+ layout. */
    public boolean atLeast2_6() {
        if (versionField != null) return Version.parse(versionField).filter(OperatorVersionReading::isAtLeast2_6).isPresent();
        if (image == null) return false;
        ImageReference reference = ImageReference.parse(image);
        if (reference.isNightly()) return true;
        return reference.operatorTagVersion().filter(OperatorVersionReading::isAtLeast2_6).isPresent();
    }

    /** Where the operator read the version from, for messages. */
    public String source() {
        if (versionField != null) return "spec.components.version \"" + versionField + "\"";
        String tag = image == null ? "" : ImageReference.parse(image).operatorTag();
        return "the text after the image's last ':' (\"" + tag + "\")";
    }

    /** The version the image's tag names, as a container runtime splits the reference; empty when it names none. */
    public Optional<Version> tagVersion() {
        return image == null ? Optional.empty() : ImageReference.parse(image).tagVersion();
    }

    public static boolean isAtLeast2_6(Version version) {
        return version.reaches(LAYOUT_2_6);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
